/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * OEM2: AML the test SSDT's _HRV loads with LoadTable(); defines \TGL2.
 */
DefinitionBlock ("", "OEM2", 2, "TDXG", "TGLOAD2", 1)
{
    Name (\TGL2, 0x52)
}
