; Genjin's Windows uninstaller (issue 23). Uninstalling never deletes what people entered:
; the database and its backups in %APPDATA%\cn.genjin.desktop stay where they are. The
; uninstaller's 删除应用程序数据 box removes only this PC's window data in
; %LOCALAPPDATA%\cn.genjin.desktop: the WebView's cache and the remembered shared database
; with its password. Tauri's template would delete both folders when the box is ticked; this
; hook, run before it, deletes the local one itself and clears the box for the template.
!macro NSIS_HOOK_PREUNINSTALL
  ${If} $DeleteAppDataCheckboxState = 1
  ${AndIf} $UpdateMode <> 1
    SetShellVarContext current
    RmDir /r "$LOCALAPPDATA\${BUNDLEID}"
  ${EndIf}
  StrCpy $DeleteAppDataCheckboxState 0
!macroend
