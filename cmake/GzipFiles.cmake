# cmake -DGZIP=gzip -DINPUT=file -DOUTPUT=file.gz -P GzipFiles.cmake
# cmake -DGZIP=gzip -DDIR=dir -DPATTERN=*.1 -P GzipFiles.cmake
# Compresses INPUT into OUTPUT, or each DIR/PATTERN file into the same name
# plus .gz beside it, the way Debian wants man pages and changelogs: gzip -9n,
# no file name or timestamp in the header, so the same input always gives the
# same bytes. The originals stay.
unset(ENV{GZIP})  # gzip reads options from it; none may change the output
function(compress input output)
  execute_process(COMMAND ${GZIP} -9n --stdout ${input} OUTPUT_FILE ${output}.tmp
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    file(REMOVE ${output}.tmp)
    message(FATAL_ERROR "${GZIP} -9n ${input} failed: ${status}")
  endif()
  file(RENAME ${output}.tmp ${output})
endfunction()

if(DEFINED DIR)
  file(GLOB inputs ${DIR}/${PATTERN})
  if(NOT inputs)
    message(FATAL_ERROR "nothing matches ${DIR}/${PATTERN}")
  endif()
  foreach(input IN LISTS inputs)
    compress(${input} ${input}.gz)
  endforeach()
else()
  compress(${INPUT} ${OUTPUT})
endif()
