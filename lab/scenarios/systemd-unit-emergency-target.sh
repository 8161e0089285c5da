DESC='systemd.unit=emergency.target on the kernel command line: systemd goes straight to emergency mode as asked (no failure before it)'
APPEND="$APPEND systemd.unit=emergency.target"
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: You are in emergency mode
# judgement: emergency mode asked for on the command line, not caused by a failure: emergency-mode by what the console shows
