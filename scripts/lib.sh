# Helpers for scripts/test and the scripts it calls. Source it; do not run it.

_start=${_start:-$(date +%s)}
step() { printf '\n==> %s (%ss)\n' "$*" "$(($(date +%s) - _start))"; }

_apt_updated=0
# ensure_apt CMD:PACKAGE ... installs PACKAGE with apt when CMD is not on PATH (root or sudo needed).
ensure_apt() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  if ((!_apt_updated)); then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_cargo_tool BINARY CRATE installs CRATE with cargo when BINARY is not on PATH.
ensure_cargo_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 (cargo install --locked; a few minutes, once per machine)"
  # A separate target dir keeps the workspace's target/ for the project.
  CARGO_TARGET_DIR="${TMPDIR:-/tmp}/coffer-tool-build" cargo install --locked --quiet "$2"
  rm -rf "${TMPDIR:-/tmp}/coffer-tool-build"
}
