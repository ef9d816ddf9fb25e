# Hardening flags, as Debian's dpkg-buildflags gives them to packages (and as
# lintian checks the .deb's binaries for them), on the project's own targets
# through the chorus_build_flags interface target (the installed library's
# consumers get none of them):
#  - every build: PIE, -fstack-protector-strong, -Wformat
#    -Werror=format-security, and the linker's -z relro -z now (BIND_NOW: the
#    GOT is read-only once the program has started);
#  - optimised builds (Release, RelWithDebInfo, MinSizeRel) without
#    CHORUS_SANITIZE: -D_FORTIFY_SOURCE=2. Without optimisation it does nothing
#    (and older glibc warn so, an error with -Werror); under ASan its checked
#    variants of memcpy and co. would replace calls the sanitizer intercepts.
#    It is -U then -D, so a compiler that predefines _FORTIFY_SOURCE (Ubuntu's)
#    does not warn of a redefinition; and it is left out if CMAKE_CXX_FLAGS or
#    the build type's flags already set it (dh_auto_configure puts
#    dpkg-buildflags' CPPFLAGS there). With clang the C++ code gets fewer
#    checked calls than with g++: glibc fortifies printf, snprintf and co. in
#    C++ only with GCC's __builtin_va_arg_pack.
# A flag the compiler or the linker does not take is left out with a message.
include(CheckCXXCompilerFlag)
include(CheckLinkerFlag)
include(CheckPIESupported)

# PIE: POSITION_INDEPENDENT_CODE on every target from here on (executables are
# compiled -fPIE and linked -pie), unless the cache says otherwise.
check_pie_supported(OUTPUT_VARIABLE chorus_pie_output LANGUAGES CXX)
if(NOT DEFINED CMAKE_POSITION_INDEPENDENT_CODE)
  if(CMAKE_CXX_LINK_PIE_SUPPORTED)
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  else()
    message(STATUS "Hardening: no PIE, the linker does not take -pie: ${chorus_pie_output}")
  endif()
endif()

check_cxx_compiler_flag(-fstack-protector-strong CHORUS_CXX_HAS_STACK_PROTECTOR_STRONG)
if(CHORUS_CXX_HAS_STACK_PROTECTOR_STRONG)
  target_compile_options(chorus_build_flags INTERFACE -fstack-protector-strong)
else()
  message(STATUS "Hardening: the compiler does not take -fstack-protector-strong")
endif()
check_cxx_compiler_flag("-Wformat -Werror=format-security" CHORUS_CXX_HAS_FORMAT_SECURITY)
if(CHORUS_CXX_HAS_FORMAT_SECURITY)
  target_compile_options(chorus_build_flags INTERFACE -Wformat -Werror=format-security)
else()
  message(STATUS "Hardening: the compiler does not take -Werror=format-security")
endif()

check_linker_flag(CXX LINKER:-z,relro CHORUS_LINKER_HAS_Z_RELRO)
check_linker_flag(CXX LINKER:-z,now CHORUS_LINKER_HAS_Z_NOW)
if(CHORUS_LINKER_HAS_Z_RELRO AND CHORUS_LINKER_HAS_Z_NOW)
  target_link_options(chorus_build_flags INTERFACE LINKER:-z,relro LINKER:-z,now)
else()
  message(STATUS "Hardening: the linker does not take -z relro -z now")
endif()

string(TOUPPER "${CMAKE_BUILD_TYPE}" chorus_build_type)
if("${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${chorus_build_type}}" MATCHES "_FORTIFY_SOURCE")
  message(STATUS "Hardening: _FORTIFY_SOURCE left as CMAKE_CXX_FLAGS set it")
elseif(NOT CHORUS_SANITIZE)
  target_compile_options(chorus_build_flags INTERFACE
    "$<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
endif()
