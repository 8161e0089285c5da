DESC='reboot loop through a hardware watchdog: an i6300esb watchdog (QEMU resets on expiry), systemd arms it (RuntimeWatchdogSec=20s); a unit crashes the kernel (sysrq c) 5 s after boot; Debian panics with no timeout (stays), the watchdog resets the VM; QEMU killed in the third panic'
EXTRA_QEMU=(-device i6300esb -action watchdog=reset)
prepare() {
  img_mkdir "$IMG" /etc/systemd/system.conf.d
  printf '[Manager]\nRuntimeWatchdogSec=20s\n' | img_put "$IMG" /etc/systemd/system.conf.d/lab-watchdog.conf
  img_unit "$IMG" lab-crash.service <<'U'
[Unit]
Description=Lab kernel crash trigger
After=multi-user.target
[Service]
Type=simple
ExecStart=/bin/sh -c 'sleep 5; echo c > /proc/sysrq-trigger'
[Install]
WantedBy=multi-user.target
U
}
STEPS='waitn 1200 3 end Kernel panic
sleep 5
kill'
# label: sessions=3 last_stage=login-prompt outcome=kernel-panic
# evidence: sysrq: Trigger a crash
# evidence: Linux version
# evidence: Linux version
# evidence: last: end Kernel panic - not syncing: sysrq triggered crash
# note: no "Rebooting in" line: the panic stays (panic=0) and the hardware watchdog resets the VM, so the firmware banner follows the panic directly
