# ime.cmake - the pinyin input method: core/ime.c on librime, and the dictionary it
# reads, compiled here at build time so that the kiosk never compiles one on a
# visitor's first tap. Included at the end of firmware/CMakeLists.txt; the build step
# that compiles the dictionary runs this same file as a script (cmake -P), below.
#
# BUILD/ime/ is librime's data directory and holds all it reads at run time:
#   build/    the compiled schema, prism and table (luna_pinyin_simp, luna_pinyin)
#   opencc/   the traditional-to-simplified converter the schema's filter applies
#   *.custom.yaml, user.yaml   our patch, and the deployer's own note
# The kiosk passes that directory to ime_open() at run time ("ime" beside itself).
# BUILD/ime-src/ holds the deployer's input: our default.yaml and links to Debian's
# sources (rime-data-luna-pinyin, rime-essay).

set(IME_RIME_SOURCES
  luna_pinyin_simp.schema.yaml luna_pinyin.schema.yaml luna_pinyin.dict.yaml
  pinyin.yaml essay.txt)
set(IME_OPENCC_FILES t2s.json TSPhrases.ocd2 TSCharacters.ocd2)
set(IME_COMPILED
  build/default.yaml build/luna_pinyin_simp.schema.yaml build/luna_pinyin_simp.prism.bin
  build/luna_pinyin.table.bin)

if(CMAKE_SCRIPT_MODE_FILE)
  # cmake -DRIME_DATA=... -DOPENCC_DATA=... -DDEPLOYER=... -DSRC=... -DOUT=... -P ime.cmake
  file(REMOVE_RECURSE ${OUT}/build ${OUT}/opencc)
  foreach(f ${IME_RIME_SOURCES})
    file(CREATE_LINK ${RIME_DATA}/${f} ${SRC}/${f} SYMBOLIC)
  endforeach()
  # glog to stderr, which we keep to show on failure, rather than files in /tmp
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env GLOG_logtostderr=1 ${DEPLOYER} --build ${OUT} ${SRC} ${OUT}/build
    RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  foreach(f ${IME_COMPILED})
    if(NOT EXISTS ${OUT}/${f})
      set(rc "${rc}, ${f} not made")
    endif()
  endforeach()
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "${log}\nrime_deployer failed (${rc}); its log is above")
  endif()
  foreach(f ${IME_OPENCC_FILES})
    file(COPY ${OPENCC_DATA}/${f} DESTINATION ${OUT}/opencc)
  endforeach()
  return()
endif()

pkg_check_modules(RIME REQUIRED IMPORTED_TARGET rime)
pkg_get_variable(IME_RIME_DATA rime pkgdatadir)
pkg_get_variable(IME_RIME_PREFIX rime prefix)
find_program(IME_RIME_DEPLOYER rime_deployer REQUIRED)
find_path(IME_OPENCC_DATA t2s.json HINTS ${IME_RIME_PREFIX}/share/opencc REQUIRED)
foreach(f ${IME_RIME_SOURCES})
  if(NOT EXISTS ${IME_RIME_DATA}/${f})
    message(FATAL_ERROR "${IME_RIME_DATA}/${f} is missing: run scripts/setup.sh "
      "(it installs rime-data-luna-pinyin and rime-essay)")
  endif()
endforeach()

set(IME_DIR ${CMAKE_BINARY_DIR}/ime)
set(IME_SRC ${CMAKE_BINARY_DIR}/ime-src)

# One schema, so every session starts in it.
file(CONFIGURE OUTPUT ${IME_SRC}/default.yaml CONTENT [[
# Made by firmware/ime.cmake: the kiosk offers one schema.
config_version: '0.40'
schema_list:
  - schema: luna_pinyin_simp
]])

# The touch keyboard sends only a-z, ' and BackSpace, so the schema keeps the speller,
# selector, navigator and editor and drops ASCII mode, punctuation, key bindings,
# stroke reverse lookup (and its dictionary) and custom phrases, with their settings
# (whose presets live in files we do not install). No user dictionary:
# the kiosk never learns one visitor's words for the next, and never writes a file.
file(CONFIGURE OUTPUT ${IME_DIR}/luna_pinyin_simp.custom.yaml CONTENT [[
# Made by firmware/ime.cmake; see there.
patch:
  schema/dependencies: []
  engine/processors: [speller, selector, navigator, express_editor]
  engine/segmentors: [abc_segmentor, fallback_segmentor]
  engine/translators: [script_translator]
  engine/filters: [simplifier, uniquifier]
  translator/enable_user_dict: false
  key_binder: {}
  punctuator: {}
  recognizer: {}
  reverse_lookup: {}
]])

set(IME_OUTPUTS)
foreach(f ${IME_COMPILED})
  list(APPEND IME_OUTPUTS ${IME_DIR}/${f})
endforeach()
foreach(f ${IME_OPENCC_FILES})
  list(APPEND IME_OUTPUTS ${IME_DIR}/opencc/${f})
endforeach()
list(TRANSFORM IME_RIME_SOURCES PREPEND ${IME_RIME_DATA}/ OUTPUT_VARIABLE IME_RIME_INPUTS)
list(TRANSFORM IME_OPENCC_FILES PREPEND ${IME_OPENCC_DATA}/ OUTPUT_VARIABLE IME_OPENCC_INPUTS)

# About 4 s; reruns only when an input changes.
add_custom_command(
  OUTPUT ${IME_OUTPUTS}
  COMMAND ${CMAKE_COMMAND} -DRIME_DATA=${IME_RIME_DATA} -DOPENCC_DATA=${IME_OPENCC_DATA}
          -DDEPLOYER=${IME_RIME_DEPLOYER} -DSRC=${IME_SRC} -DOUT=${IME_DIR}
          -P ${CMAKE_CURRENT_LIST_FILE}
  DEPENDS ${CMAKE_CURRENT_LIST_FILE} ${IME_SRC}/default.yaml ${IME_DIR}/luna_pinyin_simp.custom.yaml
          ${IME_RIME_INPUTS} ${IME_OPENCC_INPUTS} ${IME_RIME_DEPLOYER}
  COMMENT "Compiling the pinyin dictionary into ${IME_DIR}"
  VERBATIM)
add_custom_target(ime_data ALL DEPENDS ${IME_OUTPUTS})

# kime: core/ime.c on librime, a library of its own for the kiosk (through kscreens).
# librime is not linked: ime_open() dlopen()s it by its soname on a visitor's first
# pinyin key, so a start pays nothing for its ~7 MB of libraries (ICU, boost, glog).
include(${PROJECT_SOURCE_DIR}/cmake/soname.cmake)
kiosk_soname(IME_RIME_SONAME RIME)
add_library(kime STATIC ${CMAKE_CURRENT_LIST_DIR}/core/ime.c)
target_link_libraries(kime PUBLIC kbase ${CMAKE_DL_LIBS})
target_include_directories(kime PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_include_directories(kime PRIVATE ${RIME_INCLUDE_DIRS})
target_compile_definitions(kime PRIVATE KIOSK_RIME_SONAME="${IME_RIME_SONAME}")
add_dependencies(kime ime_data)
target_link_libraries(kscreens PUBLIC kime)

# Run by hand (not a test): start-up, per-key latency and memory of the engine.
add_executable(bench_ime ${PROJECT_SOURCE_DIR}/tests/bench/bench_ime.c)
target_link_libraries(bench_ime PRIVATE kime)
