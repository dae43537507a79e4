#!/bin/sh
# Installs what conlab needs to build, test and run on Debian 12 (bookworm).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build pkg-config \
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev \
    libtbb-dev python3 \
    clang-14 libclang-rt-14-dev \
    xvfb xauth time >/dev/null
