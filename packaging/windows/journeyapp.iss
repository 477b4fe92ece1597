; Inno Setup 6 script for JourneyApp on Windows (64-bit).
;
; 1. Build the bundle on Windows:   py -m PyInstaller --noconfirm --clean packaging\journeyapp.spec
; 2. Check it:                      dist\journeyapp\journeyapp-cli.exe --smoke-test
; 3. Make the installer:            "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\journeyapp.iss
;    Output: dist\JourneyApp-0.1.0-setup.exe
;
; Installs per machine into Program Files by default; "Install for me only" (no administrator
; rights) is offered on the first page. Caseloads live in each person's %LOCALAPPDATA%\JourneyApp
; and are never removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; Keep this AppId for every release: it is how upgrades find the installed copy.
AppId={{6F1E5C1A-3B8C-4B7E-9D6A-2C4E8F1A7B30}
AppName=JourneyApp
AppVersion={#AppVersion}
AppVerName=JourneyApp {#AppVersion}
AppPublisher=JourneyApp
AppComments=Records and progress plans for keyworkers supporting lone parents
DefaultDirName={autopf}\JourneyApp
DefaultGroupName=JourneyApp
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\resources\icons\journeyapp.ico
UninstallDisplayIcon={app}\journeyapp.exe
OutputDir=..\..\dist
OutputBaseFilename=JourneyApp-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running JourneyApp before replacing its files.
CloseApplications=yes
; Sign the installer and the uninstaller when a "signtool" is configured in the IDE or on the
; ISCC command line (/Ssigntool=...), see packaging/README.md.
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\journeyapp\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion
Source: "..\..\CHANGELOG.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\JourneyApp"; Filename: "{app}\journeyapp.exe"; Comment: "Records and progress plans for keyworkers"
Name: "{autodesktop}\JourneyApp"; Filename: "{app}\journeyapp.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\journeyapp.exe"; Description: "{cm:LaunchProgram,JourneyApp}"; Flags: nowait postinstall skipifsilent
