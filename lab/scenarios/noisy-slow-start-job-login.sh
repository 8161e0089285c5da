DESC='healthy boot; a oneshot unit before user logins takes 70 s: "Job lab-db-migrate.service/start running (Xs / no limit)" redraws (as systemd 252 words it), then [  OK  ] and the login prompt'
prepare() {
  img_unit "$IMG" lab-db-migrate.service <<'U'
[Unit]
Description=Lab database migration
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sleep 70
TimeoutStartSec=infinity
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Job lab-db-migrate.service/start running
# evidence: OK.*Finished .*lab-db-migrate
# evidence: login: $
# note: a slow start job that finishes is not a stuck boot
