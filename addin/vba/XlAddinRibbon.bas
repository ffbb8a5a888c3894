Attribute VB_Name = "XlAddinRibbon"
' xl_addin: the KPIs ribbon tab's callbacks, and chart finishing that xlwings has no API for.
'
' `xl-addin build-addin` writes it into xl_addin.xlam's VBA project, on any machine, next to
' xlwings' module, which provides RunPython. Every button calls OnKpiButton with its tag;
' Python does the rest, so this module does not change when buttons are added. Python calls
' the two Subs below as 'xl_addin.xlam'!Name: keep them Public, with these parameter types.
Option Explicit

Public Sub OnKpiButton(control As IRibbonControl)
    RunPython "import xl_addin.excel.ribbon as r; r.dispatch('" & control.Tag & "')"
End Sub

' Called from Python through Book.app.macro: colour, type, dash and markers of one series.
Public Sub XlAddinFormatSeries(sheetName As String, chartName As String, seriesIndex As Long, _
                               kind As String, colour As String, dashed As Boolean, marker As Boolean)
    Dim s As Object
    Set s = ThisSeries(sheetName, chartName, seriesIndex)
    If s Is Nothing Then Exit Sub
    If kind = "line" Or kind = "points" Then
        s.ChartType = IIf(marker, 65, 4) ' xlLineMarkers, xlLine
        s.Smooth = False ' a smoothed line overshoots between months
        s.Format.Line.Visible = True
        s.Format.Line.ForeColor.RGB = HexColour(colour)
        s.Format.Line.Weight = IIf(dashed, 1.75, 2.25)
        s.Format.Line.DashStyle = IIf(dashed, 4, 1) ' msoLineDash, msoLineSolid
        If marker Then
            s.MarkerStyle = 8 ' xlMarkerStyleCircle
            s.MarkerSize = 5
            s.MarkerBackgroundColor = HexColour(colour)
            s.MarkerForegroundColor = HexColour(colour)
        Else
            s.MarkerStyle = -4142 ' xlMarkerStyleNone
        End If
        If kind = "points" Then s.Format.Line.Visible = False ' markers only
    Else
        s.ChartType = 51 ' xlColumnClustered
        s.Format.Fill.ForeColor.RGB = HexColour(colour)
        s.Format.Line.Visible = False
    End If
End Sub

' Called from Python through Book.app.macro: blank months as gaps (joined across quarters for
' quarterly measures, whose other months are not periods), and alt text.
Public Sub XlAddinFinishChart(sheetName As String, chartName As String, spanGaps As Boolean, _
                              altText As String)
    On Error GoTo done
    With ActiveWorkbook.Worksheets(sheetName).ChartObjects(chartName)
        .Chart.DisplayBlanksAs = IIf(spanGaps, 3, 1) ' xlInterpolated, xlNotPlotted (never zero)
        .AlternativeText = altText
    End With
done:
End Sub

Private Function ThisSeries(sheetName As String, chartName As String, seriesIndex As Long) As Object
    On Error GoTo missing
    Set ThisSeries = ActiveWorkbook.Worksheets(sheetName).ChartObjects(chartName).Chart _
        .SeriesCollection(seriesIndex)
    Exit Function
missing:
    Set ThisSeries = Nothing
End Function

Private Function HexColour(text As String) As Long
    ' "#RRGGBB" -> the BGR Long that VBA's RGB() makes
    HexColour = RGB(CLng("&H" & Mid$(text, 2, 2)), CLng("&H" & Mid$(text, 4, 2)), _
                    CLng("&H" & Mid$(text, 6, 2)))
End Function
