<#
.SYNOPSIS
Removes the Pipedrive ODBC driver (and its DSNs, with -RemoveDsns).

.DESCRIPTION
Deletes the driver's registration under HKLM\SOFTWARE\ODBC\ODBCINST.INI and
the installed DLL. Data sources using the driver are kept unless -RemoveDsns
is given (they stop working without the driver). Run elevated.
#>
[CmdletBinding()]
param(
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'Pipedrive ODBC'),
    [switch] $RemoveDsns
)
$ErrorActionPreference = 'Stop'
$DriverName = 'Pipedrive ODBC Driver'

if ($RemoveDsns) {
    Get-OdbcDsn -DriverName $DriverName -Platform '64-bit' -ErrorAction SilentlyContinue |
        ForEach-Object { Remove-OdbcDsn -Name $_.Name -DsnType $_.DsnType -Platform '64-bit' }
}
$key = "HKLM:\SOFTWARE\ODBC\ODBCINST.INI\$DriverName"
if (Test-Path $key) { Remove-Item -Path $key -Recurse -Force }
$drivers = 'HKLM:\SOFTWARE\ODBC\ODBCINST.INI\ODBC Drivers'
if (Test-Path $drivers) {
    Remove-ItemProperty -Path $drivers -Name $DriverName -ErrorAction SilentlyContinue
}
$dll = Join-Path $InstallDir 'pipedrive_odbc.dll'
if (Test-Path -LiteralPath $dll) { Remove-Item -LiteralPath $dll -Force }
if ((Test-Path -LiteralPath $InstallDir) -and -not (Get-ChildItem -LiteralPath $InstallDir)) {
    Remove-Item -LiteralPath $InstallDir -Force
}
Write-Host "Removed '$DriverName'"
