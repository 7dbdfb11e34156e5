; Inno Setup script: the Windows installer of wallet-crm, from the PyInstaller folder dist\wallet-crm\.
;
;   pyinstaller --noconfirm build.spec                  (on Windows: wallet-crm.exe and wallet-crm-cli.exe)
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\wallet-crm.iss
;   → dist\wallet-crm-<version>-setup.exe
;
; .github/workflows/windows-installer.yml does exactly this on a windows-latest runner. Written from the
; Inno Setup documentation and not compiled on the machine it was written on (Linux): see the README.
;
; Per-user: no administrator rights, installed in %LOCALAPPDATA%\Programs\wallet-crm, a Start-menu entry.
; The user's data (databases, backups, settings, logs) is in %LOCALAPPDATA%\wallet-crm (platformdirs'
; user_data_dir("wallet-crm", appauthor=False), see wallet_crm/paths.py), never in the program folder;
; the uninstaller keeps it unless the user says Yes when asked, or passes /DELETEUSERDATA to a silent
; uninstall.

; 6.3: UTF-8 scripts without a byte-order mark (the Chinese messages below) and x64compatible.
#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed to compile this script
#endif

#define AppName "wallet-crm"
#define DistDir AddBackslash(SourcePath) + "..\..\dist\wallet-crm"
#define AppExe "wallet-crm.exe"
#if !FileExists(DistDir + "\" + AppExe)
  #error dist\wallet-crm\wallet-crm.exe not found: build it first (pyinstaller --noconfirm build.spec)
#endif
; The version is pyproject.toml's: build.spec writes it into the program's version resource, read here.
; `ISCC /DAppVersion=1.2.3 ...` overrides it.
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(DistDir + "\" + AppExe, "ProductVersion")
#endif

[Setup]
; Windows knows the installed app by this id: never change it, or upgrades install side by side.
AppId={{03A34271-85A5-4EDF-A2C4-0F3445D208A9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={localappdata}\Programs\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\wallet-crm.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=auto
; The app must not run while its files are replaced or removed: Setup offers to close it.
CloseApplications=yes

[Languages]
; English first: it is the fallback for every system language without its own entry. Chinese (Simplified)
; ships with Inno Setup from 6.5; with an older compiler, put the translation from
; https://github.com/jrsoftware/issrc/tree/main/Files/Languages/Unofficial beside this script.
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: this installer speaks English only"
#endif

[CustomMessages]
english.AppComment=Follow up with wallet customers after their transactions
english.DeleteUserData=Also delete your wallet-crm data?%n%n%1%n%nThis folder holds your databases (customers, transactions, follow-up calls), their automatic backups, your settings and the logs. Choose No to keep it, for example to install wallet-crm again later.
english.DeleteUserDataFailed=Some files in %1 could not be deleted. Delete the folder yourself once wallet-crm is closed.
#ifdef HaveChinese
chinesesimplified.AppComment=离线的钱包客户回访工具
chinesesimplified.DeleteUserData=是否同时删除 wallet-crm 的数据？%n%n%1%n%n此文件夹包含数据库（客户、交易、回访记录）、自动备份、设置和日志。选择“否”将保留这些数据，例如以后重新安装 wallet-crm 时仍可使用。
chinesesimplified.DeleteUserDataFailed=%1 中的部分文件无法删除。请在关闭 wallet-crm 后手动删除该文件夹。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the libraries wholesale: files an older version had and this one dropped must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; wallet-crm.exe (the windowed app), wallet-crm-cli.exe (the same program with a console, for the
; command line) and _internal\ (Python, Qt and the libraries, shared by both).
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder; the user's data folder is handled in [Code] below.
Type: filesandordirs; Name: "{app}"

[Code]
function UserDataDir: String;
begin
  { platformdirs.user_data_dir("wallet-crm", appauthor=False): the databases, backups, settings and logs }
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

function DeleteUserDataSwitch: Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/DELETEUSERDATA') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
  Wanted: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := UserDataDir;
  if not DirExists(DataDir) then
    Exit;
  { Silent uninstalls never ask: they keep the data unless /DELETEUSERDATA was given. No is the default. }
  if UninstallSilent then
    Wanted := DeleteUserDataSwitch
  else
    Wanted := MsgBox(FmtMessage(CustomMessage('DeleteUserData'), [DataDir]), mbConfirmation,
      MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Wanted and not DelTree(DataDir, True, True, True) then
    if not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('DeleteUserDataFailed'), [DataDir]), mbError, MB_OK);
end;
