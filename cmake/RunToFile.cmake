# cmake -DPROGRAM=exe "-DARGS=a b" -DOUTPUT=file -P RunToFile.cmake
# Runs PROGRAM ARGS with stdout into OUTPUT (no shell redirection, which
# build tools do not all pass through); fails the build if PROGRAM fails.
# In English whatever the builder's locale: what is installed must not
# depend on who built it.
set(ENV{LC_ALL} C.UTF-8)
unset(ENV{LANGUAGE})
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${args} OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${status}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
