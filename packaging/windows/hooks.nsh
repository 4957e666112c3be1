; Genjin's Windows installer hooks (issue 23), included by Tauri's installer.nsi.
;
; Uninstalling never deletes what people entered: the database and its backups in
; %APPDATA%\cn.genjin.desktop stay where they are. The uninstaller's 删除应用程序数据 box removes
; only this PC's window data in %LOCALAPPDATA%\cn.genjin.desktop: the WebView's cache and the
; remembered shared database with its password. Tauri's template would delete both folders
; (and its registry keys) when the box is ticked: the pre-uninstall hook keeps the box's
; answer and clears it for the template; the post-uninstall hook, once the program is closed
; and its files are gone, deletes the local folder and the keys the template skipped.

Var GenjinDeleteLocalData

!macro NSIS_HOOK_PREUNINSTALL
  StrCpy $GenjinDeleteLocalData $DeleteAppDataCheckboxState
  StrCpy $DeleteAppDataCheckboxState 0
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  ${If} $GenjinDeleteLocalData = 1
  ${AndIf} $UpdateMode <> 1
    DeleteRegKey SHCTX "${MANUPRODUCTKEY}"
    DeleteRegKey /ifempty SHCTX "${MANUKEY}"
    DeleteRegValue HKCU "${MANUPRODUCTKEY}" "Installer Language"
    DeleteRegKey /ifempty HKCU "${MANUPRODUCTKEY}"
    DeleteRegKey /ifempty HKCU "${MANUKEY}"
    SetShellVarContext current
    RmDir /r "$LOCALAPPDATA\${BUNDLEID}"
  ${EndIf}
!macroend
