DESC='a broken /etc/ssh/sshd_config (an unknown keyword): ssh.service fails its config test and gives up after restarts ([FAILED] Failed to start ssh.service); the boot reaches the login prompt'
prepare() { printf 'PermitRootLogin prohibit-password\nLabUnknownOption yes\n' | img_append "$IMG" /etc/ssh/sshd_config; }
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: FAILED.*Failed to start .*ssh.servic
# evidence: login: $
# note: sshd failing is a finding (unit-failure), not a boot failure
