; Inno Setup 6 script: Windows installer for the PyInstaller one-folder build.
;
; Built by packaging/build.sh on Windows (Git Bash), after PyInstaller has written
; dist\backprop-playground\. The version comes from build\windows\version.iss, which build.sh
; writes from playground/__init__.py; `iscc /DAppVersion=X.Y.Z` overrides it.
;   iscc packaging\windows\backprop-playground.iss
; Output: dist\backprop-playground-<version>-windows-x64-setup.exe
;
; Installs per machine (Program Files) or, when chosen in the wizard or with /CURRENTUSER, per
; user (no administrator rights needed). Silent install for CI:
;   setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER /DIR="C:\somewhere"
; Relative paths below are relative to this script's folder (Inno Setup's default SourceDir).

#ifndef AppVersion
  #include "..\..\build\windows\version.iss"
#endif

#define AppName "Backprop Playground"
#define AppExeName "backprop-playground.exe"

[Setup]
; A fixed AppId ties upgrades and the uninstaller to this application across versions.
AppId={{512FA94E-24C7-46C2-B676-4C2C9AD7052C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Backprop Playground developers
AppCopyright=Copyright (c) 2026 Backprop Playground developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
LicenseFile=..\..\LICENSE
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=backprop-playground-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\backprop-playground.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder build: the executable and its _internal\ folder.
Source: "..\..\dist\backprop-playground\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
