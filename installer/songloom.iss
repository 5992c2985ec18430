; Inno Setup script: Songloom for Windows, wrapped around the PyInstaller one-folder build.
;   1. On Windows, in the project venv:  pyinstaller --noconfirm installer\songloom.spec
;      (produces dist\Songloom\songloom.exe, songloom-cli.exe and _internal\)
;   2. iscc /DAppVersion=0.1.0 installer\songloom.iss   (Inno Setup 6.2 or newer)
;      -> dist\Songloom-0.1.0-windows-x64-setup.exe
; Installs per user, without administrator rights, and never elevates the app: a DAW
; running unelevated refuses drag-and-drop from an elevated window (Windows UIPI).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Songloom"
#define AppExe "songloom.exe"
#define ProgId "Songloom.Project"

[Setup]
AppId={{7B1E3C52-4D0A-4C8E-9A53-51A0F0C0D7E1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Songloom contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install into %LOCALAPPDATA%\Programs: no UAC prompt, nothing elevated.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
LicenseFile=..\resources\licenses\songloom.txt
SetupIconFile=..\resources\icons\songloom.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir=..\dist
OutputBaseFilename=Songloom-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assocmidi"; Description: "Open .mid / .midi / .kar files with Songloom"; GroupDescription: "File types:"; Flags: unchecked

[Files]
; The whole one-folder bundle, libraries, models, SoundFont and licences included.
Source: "..\dist\Songloom\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Offline songwriting studio"
Name: "{group}\Songloom licences"; Filename: "{app}\_internal\resources\licenses"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .songloom projects belong to Songloom (HKA = HKCU for a per-user install).
Root: HKA; Subkey: "Software\Classes\.songloom"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.songloom"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-songloom"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Songloom Project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; MIDI files: offered in "Open with", made default only when the user ticks the task.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".songloom"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".mid"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".midi"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".kar"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.mid\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}.Midi"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}.Midi"; ValueType: string; ValueName: ""; ValueData: "MIDI file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}.Midi\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.mid"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}.Midi"; Tasks: assocmidi
Root: HKA; Subkey: "Software\Classes\.midi"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}.Midi"; Tasks: assocmidi
Root: HKA; Subkey: "Software\Classes\.kar"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}.Midi"; Tasks: assocmidi

[Run]
; runasoriginaluser: even when an administrator chose "install for all users" (an
; elevated setup), the first start runs as the plain user, never elevated.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser
