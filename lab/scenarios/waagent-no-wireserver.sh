DESC="Debian's waagent (walinuxagent.service) started outside Azure: no provisioning ISO (ovf-env.xml) and no wire server (168.63.129.16); the agent reports provisioning failed"
prepare() {
  # The unit is ConditionVirtualization=microsoft: lift that for QEMU with a drop-in.
  img_mkdir "$IMG" /etc/systemd/system/walinuxagent.service.d
  printf '[Unit]\n# bootdiag lab: run the agent under QEMU too\nConditionVirtualization=\n' |
    img_put "$IMG" /etc/systemd/system/walinuxagent.service.d/lab.conf
  img_enable "$IMG" walinuxagent.service
  # An image provisioned by the agent itself, not cloud-init: cloud-init's units disabled and
  # Provisioning.Agent=auto (upstream's default; Debian ships "cloud-init").
  for u in cloud-init.service cloud-final.service cloud-config.service cloud-init-local.service cloud-init-hotplugd.socket; do
    img_rm "$IMG" "/etc/systemd/system/cloud-init.target.wants/$u"
  done
  img_cat "$IMG" /etc/waagent.conf | sed 's/^Provisioning\.Agent=.*/Provisioning.Agent=auto/' |
    img_put "$IMG" /etc/waagent.conf
}
STEPS="wait 900 $LOGIN_RE
wait 900 Provisioning failed|Provisioning complete|End of log to /dev/console
sleep 90"
