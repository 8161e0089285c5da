DESC="waagent provisions by itself; a provisioning DVD (IDE CD-ROM) holds an ovf-env.xml cut off mid-element: parsing it raises an XML error that the provisioning handler does not catch, the daemon reports op=UnhandledError, then dies on its own exception formatter (TypeError, as in waagent-provision-unhandled-error); QEMU killed 60 s later"
EXTRA_QEMU=(-cdrom "$RUN/ovf.iso")
prepare() {
  waagent_on "$IMG"
  mkdir -p "$RUN/ovf"
  cat > "$RUN/ovf/ovf-env.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1" xmlns:wa="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
 <wa:ProvisioningSection>
  <wa:Version>1.0</wa:Version>
  <LinuxProvisioningConfigurationSet xmlns="http://schemas.microsoft.com/windowsazure">
   <ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>
   <HostName>lab-wa-vm</HostName>
   <UserName>azureuser</User
X
  genisoimage -quiet -output "$RUN/ovf.iso" -volid rd_rdfe_stable -joliet -rock "$RUN/ovf"
}
STEPS="wait 900 $LOGIN_RE
wait 600 UnhandledError|Provisioning failed
sleep 60
kill"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Copying ovf-env.xml
# evidence: Successfully mounted dvd
# evidence: op=UnhandledError
# evidence: xml.parsers.expat.ExpatError
# evidence: last: TypeError: format_exception\(\) got an unexpected keyword argument 'etype'
# judgement: a malformed ovf-env.xml crashes the agent's provisioning (an XML parse error it does not catch) and the daemon dies; no "Provisioning failed" line: provisioning-failed by substance
