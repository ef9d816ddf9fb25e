#!/usr/bin/env bash
# complete_bash.sh SCRIPT WORD... : loads bash-completion and SCRIPT as an
# interactive bash would, completes the last WORD of the command line, and
# prints COMPREPLY one a line. WORDs are split as readline splits them
# (`--output=j` is `--output` `=` `j`).
set -u
script=$1
shift
source /usr/share/bash-completion/bash_completion || exit 1
source "$script" || exit 1
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_LINE=${COMP_LINE// = /=}  # readline splits at = but the line has none around it
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
spec=$(complete -p chorus) || exit 1
func=${spec#*-F }
func=${func%% *}
"$func" chorus "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
exit 0
