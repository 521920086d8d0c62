# soname.cmake - kiosk_soname(VAR PREFIX): sets the cache variable VAR to the soname
# of the one library that pkg_check_modules(PREFIX ...) found (e.g. librime.so.1),
# read from its ELF header at configure time, for a program that dlopen()s the
# library on first use rather than linking it (core/ime.c, core/speech.c). The build still fails when the library or
# its headers are missing; only the linking is left to run time.
function(kiosk_soname var prefix)
  list(LENGTH ${prefix}_LINK_LIBRARIES n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "${prefix}: expected one library from pkg-config, got '${${prefix}_LINK_LIBRARIES}'")
  endif()
  set(lib ${${prefix}_LINK_LIBRARIES})
  if(NOT CMAKE_READELF)
    find_program(CMAKE_READELF readelf REQUIRED)
  endif()
  execute_process(COMMAND ${CMAKE_READELF} -d ${lib} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT dyn MATCHES "\\(SONAME\\)[^\n]*\\[([^]\n]+)\\]")
    message(FATAL_ERROR "${lib}: no soname in its dynamic section")
  endif()
  set(${var} ${CMAKE_MATCH_1} CACHE INTERNAL "soname of ${prefix}, found by cmake/soname.cmake")
  message(STATUS "${prefix}: loaded at run time as ${CMAKE_MATCH_1}")
endfunction()
