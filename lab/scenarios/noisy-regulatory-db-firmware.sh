DESC='firmware-load chatter: cfg80211 is loaded at boot (modules-load.d) and the wireless regulatory database is not installed: "Direct firmware load for regulatory.db failed with error -2", "failed to load regulatory.db"; the boot reaches the login prompt'
prepare() { printf 'cfg80211\n' | img_put "$IMG" /etc/modules-load.d/lab-wifi.conf; }
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Direct firmware load for regulatory.db failed
# evidence: login: $
# note: missing firmware files for an unused feature are chatter
