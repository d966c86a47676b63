/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * OEM1: AML the test SSDT's _SUN loads with LoadTable(); defines \TGL1.
 */
DefinitionBlock ("", "OEM1", 2, "TDXG", "TGLOAD1", 1)
{
    Name (\TGL1, 0x51)
}
