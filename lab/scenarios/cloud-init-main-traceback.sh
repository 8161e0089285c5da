DESC="cloud-init on with a NoCloud seed, and a bug patched into cloud-init's command-line entry point (it raises before doing anything): every cloud-init stage prints a Python traceback on the console and its unit fails"
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  img_patch_py "$IMG" /usr/lib/python3/dist-packages/cloudinit/cmd/main.py \
    '^def main\(sysv_args=None\):$' \
    'def main(sysv_args=None):\n    raise ImportError("cannot import name DataSourceNoCloud (bootdiag lab: injected bug)")'
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-tb\nlocal-hostname: lab-ci-tb\n' > "$RUN/seed/meta-data"
  printf '#cloud-config\nruncmd:\n  - [ true ]\n' > "$RUN/seed/user-data"
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 900 $LOGIN_RE
sleep 20"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Traceback
# evidence: ImportError
# evidence: FAILED.*Failed to start .*cloud-init
# evidence: login: 
# note: the third traceback (cloud-config) lands on the login prompt line
