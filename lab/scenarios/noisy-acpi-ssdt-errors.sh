DESC='firmware chatter: an extra ACPI table (SSDT, -acpitable) that redefines an object the DSDT already has and references one that does not exist: ACPI BIOS Error / ACPI Error lines during the kernel stage; the boot reaches the login prompt'
EXTRA_QEMU=(-acpitable "file=$RUN/ssdt.aml")
prepare() {
  cat > "$RUN/ssdt.dsl" <<'ASL'
DefinitionBlock ("", "SSDT", 2, "BDLAB", "LABSSDT", 0x00000001)
{
    External (\_SB.PCI0, DeviceObj)
    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
        }
        Device (LAB0)
        {
            Name (_HID, "LAB0001")
            Method (_STA, 0, NotSerialized)
            {
                Return (\_SB.PCI0.LPCB.EC0.ECOK)
            }
        }
    }
}
ASL
  (cd "$RUN" && iasl -p ssdt -oa ssdt.dsl >/dev/null 2>&1 || iasl -f -p ssdt ssdt.dsl >/dev/null 2>&1) || true
  [ -s "$RUN/ssdt.aml" ] || die "iasl made no ssdt.aml (apt-get install acpica-tools)"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: ACPI.*Error
# evidence: login: $
# note: ACPI table errors at boot are firmware chatter; nothing stopped
