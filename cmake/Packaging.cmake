# The CMake package of the library (find_package(chorus)) and the Debian
# package of the tools (cpack -G DEB).
include(CMakePackageConfigHelpers)

set(CHORUS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/chorus)
install(EXPORT chorusTargets NAMESPACE chorus:: DESTINATION ${CHORUS_CMAKE_DIR} COMPONENT Development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/chorusConfig.cmake.in
  ${PROJECT_BINARY_DIR}/chorusConfig.cmake INSTALL_DESTINATION ${CHORUS_CMAKE_DIR})
# 0.x: a new minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/chorusConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/chorusConfig.cmake ${PROJECT_BINARY_DIR}/chorusConfigVersion.cmake
  DESTINATION ${CHORUS_CMAKE_DIR} COMPONENT Development)

# /usr/share/doc/chorus/copyright and, the version having no Debian revision
# (a native package), changelog.gz: compressed at build time like the man
# pages. deb_test checks that the changelog's newest entry is this version.
set(debian_changelog ${PROJECT_BINARY_DIR}/debian/changelog.gz)
add_custom_command(OUTPUT ${debian_changelog}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/debian
  COMMAND ${CMAKE_COMMAND} -DGZIP=${GZIP_EXECUTABLE} -DINPUT=${CMAKE_CURRENT_LIST_DIR}/debian/changelog
          -DOUTPUT=${debian_changelog} -P ${CMAKE_CURRENT_LIST_DIR}/GzipFiles.cmake
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/debian/changelog ${CMAKE_CURRENT_LIST_DIR}/GzipFiles.cmake VERBATIM)
add_custom_target(chorus_debian_changelog ALL DEPENDS ${debian_changelog})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/debian/copyright ${debian_changelog}
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb holds what a user runs: chorus, chorus-sandbox, their completions
# and man pages, the copyright file and changelog Debian policy asks for (the
# install rules without a component). The library, headers and CMake files
# (component Development) are for `cmake --install` only.
set(CPACK_PACKAGE_NAME chorus)
set(CPACK_PACKAGE_VENDOR "chorus project")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# One string (a list would put ';' in the text); lines under 80 columns, as
# the extended description of a Debian package wants them.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "chorus administers French Chorus Pro portal accounts from the command\n"
  "line: sign-up, activation, structures, attachment requests in bulk,\n"
  "profiles. chorus-sandbox is a local Chorus-Pro-compatible portal for\n"
  "tests and demos.")
set(CPACK_PACKAGE_CONTACT "chorus maintainers <chorus@example.org>")
set(CPACK_STRIP_FILES ON)
# A stripped install (cpack, as CPACK_STRIP_FILES asks; cmake --install
# --strip) also removes the .comment and .note sections of the programs, as
# dh_strip does: plain `strip` keeps them (lintian:
# binary-has-unneeded-section). This runs after the programs' own install
# rules (policy CMP0082: in the order of add_subdirectory and include).
if(CMAKE_STRIP)
  foreach(program IN ITEMS chorus chorus-sandbox)
    if(TARGET ${program})
      install(CODE "if(CMAKE_INSTALL_DO_STRIP)
  execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:${program}>\"
    COMMAND_ERROR_IS_FATAL ANY)
endif()")
    endif()
  endforeach()
endif()
# Directories the staging install creates implicitly are 0755 whatever the
# umask of whoever runs cpack (lintian: non-standard-dir-perm).
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified)
set(CPACK_DEBIAN_PACKAGE_NAME chorus)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends computed from the binaries' shared libraries (libcurl, libfmt, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
