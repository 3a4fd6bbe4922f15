<#
.SYNOPSIS
Installs the Pipedrive ODBC driver on Windows and optionally creates a DSN.

.DESCRIPTION
Copies pipedrive_odbc.dll to the install directory and registers it with the
ODBC driver manager under HKLM\SOFTWARE\ODBC\ODBCINST.INI (the same keys as
driver-ini\pipedrive-odbc.reg.in). With -Dsn it also creates a data source
through the ODBC installer API (Add-OdbcDsn), which calls the driver's own
ConfigDSN and so checks every property name.

Run from an elevated PowerShell (registering a driver writes HKLM):
  .\install.ps1 -Dll .\pipedrive_odbc.dll
  .\install.ps1 -Dll .\pipedrive_odbc.dll -Dsn Pipedrive -Properties @{ APIToken = '...'; CompanyDomain = 'acme' }

.PARAMETER Dll
The driver DLL to install (built by `cargo build --release --target x86_64-pc-windows-gnu`).
.PARAMETER InstallDir
Where the DLL is copied; default "$env:ProgramFiles\Pipedrive ODBC".
.PARAMETER Dsn
Name of a data source to create (optional).
.PARAMETER DsnType
User (default) or System.
.PARAMETER Properties
Connection properties of the DSN, e.g. @{ APIToken = '...'; CompanyDomain = 'acme' }.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $Dll,
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'Pipedrive ODBC'),
    [string] $Dsn,
    [ValidateSet('User', 'System')] [string] $DsnType = 'User',
    [hashtable] $Properties = @{}
)
$ErrorActionPreference = 'Stop'
$DriverName = 'Pipedrive ODBC Driver'

if (-not [Environment]::Is64BitProcess) {
    throw 'Run this script from a 64-bit PowerShell: the driver is a 64-bit DLL and registers in the 64-bit registry view.'
}
if (-not (Test-Path -LiteralPath $Dll -PathType Leaf)) {
    throw "No such file: $Dll"
}

New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
$target = Join-Path $InstallDir 'pipedrive_odbc.dll'
Copy-Item -LiteralPath $Dll -Destination $target -Force

$key = "HKLM:\SOFTWARE\ODBC\ODBCINST.INI\$DriverName"
New-Item -Path $key -Force | Out-Null
$values = [ordered]@{
    Driver           = $target
    Setup            = $target
    APILevel         = '1'
    ConnectFunctions = 'YYN'
    DriverODBCVer    = '03.80'
    FileUsage        = '0'
    SQLLevel         = '1'
}
foreach ($name in $values.Keys) {
    New-ItemProperty -Path $key -Name $name -Value $values[$name] -PropertyType String -Force | Out-Null
}
New-ItemProperty -Path $key -Name UsageCount -Value 1 -PropertyType DWord -Force | Out-Null
$drivers = 'HKLM:\SOFTWARE\ODBC\ODBCINST.INI\ODBC Drivers'
New-Item -Path $drivers -Force | Out-Null
New-ItemProperty -Path $drivers -Name $DriverName -Value 'Installed' -PropertyType String -Force | Out-Null
Write-Host "Registered '$DriverName' -> $target"

if ($Dsn) {
    $pairs = @($Properties.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    if (Get-OdbcDsn -Name $Dsn -DsnType $DsnType -Platform '64-bit' -ErrorAction SilentlyContinue) {
        Remove-OdbcDsn -Name $Dsn -DsnType $DsnType -Platform '64-bit'
    }
    Add-OdbcDsn -Name $Dsn -DriverName $DriverName -DsnType $DsnType -Platform '64-bit' -SetPropertyValue $pairs
    Write-Host "Created $DsnType DSN '$Dsn'"
}
