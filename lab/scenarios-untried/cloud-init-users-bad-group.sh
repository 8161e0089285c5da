DESC='cloud-init NoCloud seed that creates a user in a group that does not exist (users: groups: [lab-nosuch-group]): useradd fails, cloud-init reports the users-groups module failed'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-users\nlocal-hostname: lab-ci-users\n' > "$RUN/seed/meta-data"
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
users:
  - name: labadmin
    primary_group: lab-nosuch-group
    no_user_group: true
    shell: /bin/bash
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Failed to create user|users.groups.*WARNING|Failed to run module users
# evidence: finished at
