# install.cmake - `cmake --install`: everything a board needs, at FHS paths, under
# DESTDIR when given. Included at the end of the top CMakeLists.txt. The layout, with
# PREFIX = CMAKE_INSTALL_PREFIX (/usr for the Debian packages, /usr/local by default):
#   PREFIX/bin                    kiosk, kiosk-session, kiosk-sync, kiosk-bundle, kiosk-usb (sync/)
#   PREFIX/share/hallkiosk        fonts/, ime/ (the compiled pinyin dictionary),
#                                 usb-messages.tsv (sync/), demo/ (the demo content)
#   PREFIX/share/doc/hallkiosk    the docs
#   SYSCONFDIR/hallkiosk/kiosk.ini  (/etc for PREFIX /usr) the example config, every key commented
#   KIOSK_SYSTEMD_UNITDIR, KIOSK_UDEV_RULESDIR  the units and the udev rule
# Paths compiled in (KIOSK_DATADIR, the units' ExecStart, SYSCONFDIR) follow the prefix
# given at configure time: configure with -DCMAKE_INSTALL_PREFIX=/usr for a system
# install. The kiosk finds its fonts and IME data beside itself (the build tree), else
# in ../share/hallkiosk beside itself (any install prefix), else in KIOSK_DATADIR.

# The units and the rule go where systemd and udev look: their own directories for a
# system install (PREFIX /usr at configure time), PREFIX/lib/... otherwise (on their
# search paths too).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_get_variable(KIOSK_PC_UNITDIR systemd systemdsystemunitdir)
  pkg_get_variable(KIOSK_PC_UDEVDIR udev udevdir)
  if(NOT KIOSK_PC_UNITDIR)
    set(KIOSK_PC_UNITDIR /lib/systemd/system)
  endif()
  if(NOT KIOSK_PC_UDEVDIR)
    set(KIOSK_PC_UDEVDIR /lib/udev)
  endif()
else()
  set(KIOSK_PC_UNITDIR lib/systemd/system)
  set(KIOSK_PC_UDEVDIR lib/udev)
endif()
set(KIOSK_SYSTEMD_UNITDIR ${KIOSK_PC_UNITDIR} CACHE PATH "where the systemd units go")
set(KIOSK_UDEV_RULESDIR ${KIOSK_PC_UDEVDIR}/rules.d CACHE PATH "where the udev rule goes")

install(TARGETS kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The units in systemd/ name /usr/local (a checkout's cmake --install); installed
# copies name this install's directories instead.
set(KIOSK_UNITS kiosk.service kiosk-session.service kiosk-sync.service kiosk-sync.timer kiosk-usb@.service)
foreach(u ${KIOSK_UNITS})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/systemd/${u})
  file(READ ${PROJECT_SOURCE_DIR}/systemd/${u} text)
  string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" text "${text}")
  string(REPLACE "/usr/local/share/doc/hallkiosk/" "${CMAKE_INSTALL_FULL_DOCDIR}/" text "${text}")
  file(WRITE ${CMAKE_BINARY_DIR}/systemd/${u} "${text}")
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${u} DESTINATION ${KIOSK_SYSTEMD_UNITDIR})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/udev/90-hallkiosk-usb.rules ${PROJECT_SOURCE_DIR}/udev/91-hallkiosk-idreader.rules
              ${PROJECT_SOURCE_DIR}/udev/92-hallkiosk-printer.rules
        DESTINATION ${KIOSK_UDEV_RULESDIR})

install(FILES ${PROJECT_SOURCE_DIR}/fonts/NotoSansSC-Regular-subset.otf
              ${PROJECT_SOURCE_DIR}/fonts/NotoSansSC-Bold-subset.otf
              ${PROJECT_SOURCE_DIR}/fonts/OFL.txt ${PROJECT_SOURCE_DIR}/fonts/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hallkiosk/fonts)
# build/ime holds librime's data directory and nothing else (firmware/ime.cmake)
install(DIRECTORY ${CMAKE_BINARY_DIR}/ime/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hallkiosk/ime)

# The demo: the compiled demo content, and the same content as a bundle signed with
# the build's demo signing key, with the public halves of the demo keys, so that
# `kiosk-sync install` can be tried on a board. The secret keys (demo-keys/*.key)
# are never installed: nobody can sign for, or open the submissions of, a demo board.
set(KIOSK_DEMO_BUNDLE ${CMAKE_BINARY_DIR}/demo.kbundle)
add_custom_command(
  OUTPUT ${KIOSK_DEMO_BUNDLE}
  COMMAND kiosk-bundle pack --key ${CMAKE_BINARY_DIR}/demo-keys/sign.key --version 1
          --scope demo --expires-days 3650 ${CMAKE_BINARY_DIR}/content.db -o ${KIOSK_DEMO_BUNDLE}
  DEPENDS kiosk-bundle ${CMAKE_BINARY_DIR}/content.db ${CMAKE_BINARY_DIR}/demo-keys/seal.pub
  COMMENT "Signing the demo content into demo.kbundle"
  VERBATIM)
add_custom_target(demo-bundle ALL DEPENDS ${KIOSK_DEMO_BUNDLE})
add_dependencies(demo-bundle demo-content demo-keys)
install(FILES ${CMAKE_BINARY_DIR}/content.db ${KIOSK_DEMO_BUNDLE}
              ${CMAKE_BINARY_DIR}/demo-keys/sign.pub ${CMAKE_BINARY_DIR}/demo-keys/seal.pub
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hallkiosk/demo)

install(FILES ${PROJECT_SOURCE_DIR}/docs/kiosk.ini DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/hallkiosk)

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/sync/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/sync)
