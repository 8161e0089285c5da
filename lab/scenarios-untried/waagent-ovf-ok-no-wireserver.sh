DESC="waagent provisions by itself; a provisioning DVD with a valid ovf-env.xml (host name, user, password): the agent copies it, then protocol detection finds no wire server (168.63.129.16) and provisioning fails"
EXTRA_QEMU=(-cdrom "$RUN/ovf.iso")
prepare() {
  waagent_on "$IMG"
  mkdir -p "$RUN/ovf"
  cat > "$RUN/ovf/ovf-env.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1" xmlns:wa="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
 <wa:ProvisioningSection>
  <wa:Version>1.0</wa:Version>
  <LinuxProvisioningConfigurationSet xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
   <ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>
   <HostName>lab-wa-vm</HostName>
   <UserName>azureuser</UserName>
   <UserPassword>Lab-Passw0rd!</UserPassword>
   <DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication>
  </LinuxProvisioningConfigurationSet>
 </wa:ProvisioningSection>
 <wa:PlatformSettingsSection>
  <wa:Version>1.0</wa:Version>
  <PlatformSettings xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
   <KmsServerHostname>kms.core.windows.net</KmsServerHostname>
   <ProvisionGuestAgent>true</ProvisionGuestAgent>
   <GuestAgentPackageName i:nil="true"/>
  </PlatformSettings>
 </wa:PlatformSettingsSection>
</Environment>
X
  genisoimage -quiet -output "$RUN/ovf.iso" -volid rd_rdfe_stable -joliet -rock "$RUN/ovf"
}
STEPS="wait 900 $LOGIN_RE
wait 900 Provisioning failed|Provisioning complete|UnhandledError
sleep 30
kill"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Copying ovf-env.xml
# evidence: Provisioning failed
