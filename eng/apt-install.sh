# Sourced by test.sh and bench/run.sh: installs Debian packages that are missing, with sudo when not root.
#   apt_install "test prerequisites" chromium sqlite3 ...
apt_install() {
  local purpose="$1"
  shift
  [ $# -gt 0 ] || return 0
  echo "Installing $purpose: $*"
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}
