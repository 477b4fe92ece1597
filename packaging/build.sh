#!/bin/sh
# Build JourneyApp's one-folder bundle, check it starts, and (on Linux) make the install tarball.
#
#   sh packaging/build.sh
#
# Uses $PYTHON if set (an environment with `pip install -e '.[dev]'` done), otherwise .venv/
# (made and filled on first use). Output: dist/journeyapp/ and, on Linux,
# dist/journeyapp-<version>-linux-<arch>.tar.gz. Windows and macOS: see packaging/README.md.
set -eu
cd "$(dirname "$0")/.."
started=$(date +%s)

if [ -z "${PYTHON:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    echo "build: making .venv and installing JourneyApp with its build tools (once)"
    python3 -m venv .venv
    .venv/bin/pip install -q -e '.[dev]'
  fi
  PYTHON=.venv/bin/python
fi
"$PYTHON" -c "import PyInstaller" 2>/dev/null || {
  echo "build: PyInstaller is missing; run: $PYTHON -m pip install -e '.[dev]'" >&2
  exit 1
}
version=$("$PYTHON" -c "import journeyapp; print(journeyapp.__version__)")

echo "build: PyInstaller, JourneyApp $version"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/journeyapp.spec

bundle=dist/journeyapp
if [ "$(uname -s)" = Linux ] && [ "${JOURNEYAPP_UNTRIMMED:-}" != 1 ]; then
  # Debug symbols out of the libraries (see the spec's STRIP), except those a wheel brought in
  # its own folder (numpy.libs/, scipy.libs/...): strip breaks their layout.
  find "$bundle/_internal" -type f -name '*.so*' -not -path '*.libs/*' \
    -exec strip --strip-debug {} + 2>/dev/null || true
fi
echo "build: smoke test"
QT_QPA_PLATFORM=offscreen "$bundle/journeyapp" --smoke-test || {
  echo "build: the bundle did not pass --smoke-test" >&2
  exit 1
}
echo "build: every job, on a demo caseload"
"$PYTHON" packaging/check_bundle.py "$bundle/journeyapp" || {
  echo "build: the bundle did not do every job (packaging/check_bundle.py)" >&2
  exit 1
}

if [ "$(uname -s)" = Linux ]; then
  arch=$(uname -m)
  name="journeyapp-$version-linux-$arch"
  stage="build/$name"
  rm -rf "$stage"
  mkdir -p "$stage/share/applications" "$stage/share/icons/hicolor/scalable/apps"
  cp -a "$bundle" "$stage/journeyapp"
  cp packaging/linux/journeyapp.desktop "$stage/share/applications/"
  cp resources/icons/journeyapp.svg "$stage/share/icons/hicolor/scalable/apps/journeyapp.svg"
  for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$stage/share/icons/hicolor/${size}x${size}/apps"
    cp "resources/icons/journeyapp-$size.png" "$stage/share/icons/hicolor/${size}x${size}/apps/journeyapp.png"
  done
  cp packaging/linux/install.sh "$stage/install.sh"
  chmod 755 "$stage/install.sh"
  cp LICENSE CHANGELOG.md "$stage/"
  cp packaging/linux/INSTALL.txt "$stage/INSTALL.txt"
  tar -C build -czf "dist/$name.tar.gz" "$name"
  echo "build: dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
fi

echo "build: $bundle is $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files;" \
  "took $(($(date +%s) - started)) s"
