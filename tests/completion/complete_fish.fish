# complete_fish.fish SCRIPT WORD... : sources SCRIPT and asks fish itself for
# the completions of the command line WORD... (the last one being completed).
set -l script $argv[1]
source $script; or exit 1
set -l line (string join ' ' -- $argv[2..-1])
complete -C "$line" | string replace -r '\t.*' ''
