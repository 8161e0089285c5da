DESC='cloud-init NoCloud seed with keys cloud-init does not know and a wrong type ("Invalid cloud-config provided" schema warnings); every module that runs succeeds and cloud-init finishes'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-schema\nlocal-hostname: lab-ci-schema\n' > "$RUN/seed/meta-data"
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
lab_application:
  tier: web
package_upgrade: "no"
runcmd:
  - [ sh, -c, 'echo lab: runcmd ok' ]
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=agent-provisioned outcome=booted negative=true
# evidence: [Ii]nvalid cloud-config|schema
# evidence: finished at
# note: schema warnings about unknown keys are not a provisioning failure: cloud-init ran its modules and finished
