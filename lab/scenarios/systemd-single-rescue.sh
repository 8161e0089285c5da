DESC='"single" on the kernel command line: systemd boots into rescue mode ("You are in rescue mode") as asked'
APPEND="$APPEND single"
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: You are in rescue mode
# judgement: rescue mode asked for on the command line: emergency-mode by what the console shows, though nothing failed
