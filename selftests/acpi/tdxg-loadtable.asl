/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * Test SSDT for 34-filter-loadtable: device TDXG0001 whose _SUN and _HRV
 * methods run AML LoadTable() of the firmware tables OEM1 and OEM2 (given
 * to QEMU with -acpitable: installed at boot, never loaded, since ACPICA
 * loads only DSDT and SSDTs by itself). Each method returns 1 when the
 * table's name is then in the namespace, 0 when LoadTable found no table.
 * Linux evaluates _SUN and _HRV only when their sysfs files are read.
 */
DefinitionBlock ("", "SSDT", 2, "TDXG", "TGTRIG", 1)
{
    External (\TGL1, IntObj)
    External (\TGL2, IntObj)

    Scope (\_SB)
    {
        Device (TGLT)
        {
            Name (_HID, "TDXG0001")

            Method (_SUN, 0, Serialized)
            {
                LoadTable ("OEM1", "TDXG", "TGLOAD1", "", "", 0)
                If (CondRefOf (\TGL1))
                {
                    Return (1)
                }
                Return (0)
            }

            Method (_HRV, 0, Serialized)
            {
                LoadTable ("OEM2", "TDXG", "TGLOAD2", "", "", 0)
                If (CondRefOf (\TGL2))
                {
                    Return (1)
                }
                Return (0)
            }
        }
    }
}
