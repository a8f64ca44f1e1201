#!/usr/bin/env bash
# Installs every Debian package that RegLab's build, app, tests and benchmarks need.
# Idempotent: when everything is present it does nothing (no apt-get update, no network).
set -euo pipefail

packages=(
  # build; JSON (nlohmann) and the core tests' framework (doctest), copies of both are in third_party/
  cmake ninja-build ccache g++ pkg-config nlohmann-json3-dev doctest-dev
  # core
  libtorch-dev libopenblas0-pthread zlib1g-dev
  # downloads of full MNIST (the core's HTTP client); the tests' local HTTP server
  libcurl4-openssl-dev python3
  # GUI
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-qpa-plugins libgl-dev
  # headless GUI tests and screenshots
  xvfb xauth
  # the screen-reader test: the window read over the real accessibility stack (the AT-SPI bus and registry, a
  # D-Bus session for them, and the Python client Orca uses)
  at-spi2-core dbus-daemon python3-pyatspi
  # reglab --record: videos and GIFs through FFmpeg's libraries (H.264 with libx264, VP9 with libvpx, GIF with
  # the palettegen/paletteuse filters); its tests read them back with ffprobe and ffmpeg
  libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev libavutil-dev ffmpeg
  # fuzzing the file readers (libFuzzer with AddressSanitizer and UBSan)
  clang libclang-rt-14-dev
  # the install test: desktop entry and AppStream checks, the Debian package (cpack, dpkg-shlibdeps)
  desktop-file-utils appstream dpkg-dev file
  # the sweep test's single-node Slurm cluster (started and stopped by the test itself, on its own ports)
  slurmctld slurmd slurm-client munge
  # figures: the tests read exports back (PDF with poppler and Ghostscript, SVG with rsvg) and compile the
  # LaTeX export (pgfplots is in texlive-pictures)
  poppler-utils ghostscript librsvg2-bin texlive-latex-base texlive-latex-recommended texlive-pictures
  # data: Fashion-MNIST (60,000 + 10,000) at /usr/share/datasets/fashion-mnist
  dataset-fashion-mnist
)
if [[ "${REGLAB_WITH_BENCH:-0}" == 1 ]]; then
  # the forum's PyTorch script that the speed benchmark runs side by side
  packages+=(python3 python3-torch python3-torchvision python3-sklearn)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
