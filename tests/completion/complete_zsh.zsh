#!/usr/bin/env zsh
# complete_zsh.zsh SCRIPT WORD... : installs SCRIPT as _chorus in a function
# directory the way a package does, lets compinit find it through #compdef,
# completes the last WORD, and prints the candidates. compadd only works
# inside a completion widget, so a function of the same name stands in for
# it and keeps, as compadd does, the candidates that start with $PREFIX.
emulate -L zsh
setopt extendedglob
script=$1
shift
fndir=$(mktemp -d) || exit 1
trap 'rm -rf $fndir' EXIT
cp $script $fndir/_chorus
fpath=($fndir $fpath)
autoload -U compinit
compinit -u -D
if [[ $_comps[chorus] != _chorus ]]; then
  print -u2 "compinit did not bind chorus to _chorus (got '$_comps[chorus]')"
  exit 1
fi

typeset -ga candidates
compadd() {
  local -a args
  while (( $# )); do
    case $1 in
      --) shift; args=("$@"); break ;;
      -[JVXxdPSpsIiWFMrRDOAE]) shift 2 ;;
      *) shift ;;
    esac
  done
  local a
  for a in $args; do
    [[ $a == ${PREFIX}* ]] && candidates+=($a)
  done
  return 0
}
compset() { return 1 }
_files() { return 0 }

words=("$@")
CURRENT=$#words
PREFIX=${words[CURRENT]}
_chorus
(( $#candidates )) && print -l -- $candidates
exit 0
