<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AedMapBox</name>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="107" />
        <source>AED map</source>
        <translation>AED 地图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="124" />
        <source>No AED placed yet. Choose “AED” and tap the plan where one hangs.</source>
        <translation>尚未标注 AED。请选择“AED”，然后在平面图上点击 AED 所在位置。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="127" />
        <source>%1 AEDs · %2 with a problem · %3 not checked</source>
        <translation>共 %1 台 AED · %2 台有问题 · %3 台未检查</translation>
    </message>
</context>
<context>
    <name>AedMapModel</name>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="51" />
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="51" />
        <source>Floor plan</source>
        <translation>平面图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="51" />
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/aed_map.py" line="51" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AmendReasonDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="452" />
        <source>Amend a finalized visit</source>
        <translation>修改已完成的体验记录</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="455" />
        <source>e.g. a photo of item 12 was attached to the wrong item</source>
        <translation>例如：第 12 项的照片误挂到了其他检查项</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="457" />
        <source>Every change made now is logged with this reason, and reports show the visit as amended.</source>
        <translation>此后的每项修改都会连同该原因记入修改记录，报告中将注明本次体验已修改。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="462" />
        <source>This visit is finalized. Why must it change?</source>
        <translation>本次体验已完成。为什么需要修改？</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="472" />
        <source>The visit cannot be amended</source>
        <translation>无法修改本次体验</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="66" />
        <source>Creating demo data…</source>
        <translation>正在创建示例数据…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="67" />
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="87" />
        <source>auditapp is already open on %1; its window was brought to the front.</source>
        <translation>auditapp 已在 %1 上打开，已将其窗口调到前面。</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="95" />
        <source>It is held by process %1 on computer %2.</source>
        <translation>占用它的是计算机 %2 上的进程 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="103" />
        <source>The data folder is in use</source>
        <translation>数据文件夹正在使用中</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="105" />
        <source>Another window of the app is already working on the data folder %1. Two windows on one folder would overwrite each other's changes, so this one does not open.</source>
        <translation>本软件已有一个窗口正在使用数据文件夹 %1。两个窗口同时使用同一个文件夹会互相覆盖修改，因此这个窗口不再打开。</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="110" />
        <source>Switch to the open window (it may be on another desktop or minimized), or close it and start again.</source>
        <translation>请切换到已打开的窗口（它可能在其他桌面上或已最小化），或将其关闭后再重新启动。</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="158" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="162" />
        <source>(inspector not set)</source>
        <translation>（未填写检查人）</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="130" />
        <location filename="../../ui/app.py" line="164" />
        <source>Cannot open the data folder</source>
        <translation>无法打开数据文件夹</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../ui/photos/camera.py" line="73" />
        <source>No camera was detected.</source>
        <translation>未检测到摄像头。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="75" />
        <location filename="../../ui/photos/camera.py" line="98" />
        <source>Take photo</source>
        <translation>拍照</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="97" />
        <location filename="../../ui/photos/camera.py" line="141" />
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="103" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="153" />
        <location filename="../../ui/photos/camera.py" line="160" />
        <location filename="../../ui/photos/camera.py" line="164" />
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="153" />
        <source>The photo could not be saved.</source>
        <translation>照片无法保存。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="160" />
        <source>The photo could not be taken: %1</source>
        <translation>无法拍照：%1</translation>
    </message>
    <message>
        <location filename="../../ui/photos/camera.py" line="164" />
        <source>The camera cannot be used: %1</source>
        <translation>摄像头无法使用：%1</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <location filename="../../ui/dashboard.py" line="214" />
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="217" />
        <source>Export numbers (.xlsx)…</source>
        <translation>导出数据（.xlsx）…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="232" />
        <location filename="../../ui/dashboard.py" line="237" />
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="237" />
        <source>The image could not be written to %1</source>
        <translation>图片无法写入 %1</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="245" />
        <location filename="../../ui/dashboard.py" line="253" />
        <source>Export numbers</source>
        <translation>导出数据</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="597" />
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="602" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="603" />
        <source>What happened</source>
        <translation>情况</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="604" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="605" />
        <source>This computer</source>
        <translation>本机的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="606" />
        <source>Other side</source>
        <translation>对方的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="607" />
        <source>Now applied</source>
        <translation>当前采用</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="618" />
        <source>Keep this computer's value</source>
        <translation>保留本机的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="620" />
        <source>Keep the other side's value</source>
        <translation>保留对方的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="622" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="624" />
        <source>No open conflicts.</source>
        <translation>没有待处理的冲突。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="641" />
        <source>edited on both sides</source>
        <translation>双方都修改过</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="642" />
        <source>deleted on one side, edited on the other</source>
        <translation>一方删除、另一方修改</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="643" />
        <source>edited after the visit was finalized</source>
        <translation>体验完成后又被修改</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="657" />
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="657" />
        <source>other side</source>
        <translation>对方</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="681" />
        <source>Cannot resolve the conflict</source>
        <translation>无法处理该冲突</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <location filename="../../ui/dashboard.py" line="272" />
        <location filename="../../ui/dashboard.py" line="403" />
        <location filename="../../ui/dashboard.py" line="419" />
        <source>Dashboard</source>
        <translation>统计看板</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="277" />
        <source>All institutions (bureau view)</source>
        <translation>全部机构（督查视图）</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="289" />
        <source>All visits</source>
        <translation>全部体验</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="292" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="295" />
        <source>Export all (.xlsx)…</source>
        <translation>全部导出（.xlsx）…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="299" />
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="301" />
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="314" />
        <location filename="../../ui/dashboard.py" line="595" />
        <location filename="../../ui/dashboard.py" line="603" />
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="314" />
        <location filename="../../ui/dashboard.py" line="316" />
        <location filename="../../ui/dashboard.py" line="603" />
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="314" />
        <location filename="../../ui/dashboard.py" line="316" />
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="315" />
        <source>Consecutive visits</source>
        <translation>连续次数</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="315" />
        <source>Last</source>
        <translation>最近一次</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="315" />
        <source>Ongoing</source>
        <translation>仍未改正</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="316" />
        <source>Found</source>
        <translation>发现次数</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="316" />
        <source>Visits</source>
        <translation>涉及体验</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="317" />
        <source>Institutions</source>
        <translation>涉及机构</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="331" />
        <source>Recurring problems (屡查屡犯): not conforming on consecutive visits</source>
        <translation>屡查屡犯：连续多次体验均不符合的检查项</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="333" />
        <source>Most frequent problems</source>
        <translation>高频问题</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="341" />
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="342" />
        <source>Rectifications</source>
        <translation>整改</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="343" />
        <source>Recurring problems</source>
        <translation>屡查屡犯</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="344" />
        <source>Areas × months</source>
        <translation>区域×月份</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="345" />
        <source>Ranking</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="395" />
        <source>Loading…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="427" />
        <source>%1 visits (%2 incomplete, left out of scores) · conformity %3 · coverage %4 · rectifications: %5 open, %6 overdue, closure rate %7, median %8 days to close</source>
        <translation>体验 %1 次（其中 %2 次不完整，不计入得分）· 符合率 %3 · 覆盖率 %4 · 整改：未完成 %5 项，逾期 %6 项，完成率 %7，整改用时中位数 %8 天</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="442" />
        <source>Conformity (%) of complete visits per area and month; click a cell for its problems.</source>
        <translation>各区域、各月完整体验的符合率（%）；点击单元格查看对应问题。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="471" />
        <source>Conformity by month (complete visits) and coverage</source>
        <translation>各月符合率（完整体验）与覆盖率</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="472" />
        <source>Conformity %</source>
        <translation>符合率 %</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="474" />
        <source>Coverage % (answered / applicable)</source>
        <translation>覆盖率 %（已答/适用）</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="496" />
        <source>%1 incomplete visit(s) are not in the bars; click a bar for the visits of that month.</source>
        <translation>%1 次不完整体验未计入柱形；点击柱形查看当月各次体验。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="500" />
        <source>Rectifications by department</source>
        <translation>各科室整改情况</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="502" />
        <location filename="../../ui/dashboard.py" line="625" />
        <source>No department</source>
        <translation>未指定科室</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="504" />
        <source>Open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="504" />
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="504" />
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="524" />
        <source>Closure rate %1 (%2 of %3); median %4 days from the visit to verification. Click a bar for its problems.</source>
        <translation>整改完成率 %1（%3 项中 %2 项）；从发现到验收用时中位数 %4 天。点击柱形查看对应问题。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="529" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="540" />
        <source>Double-click a row for the visits behind it.</source>
        <translation>双击一行查看对应的体验记录。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="543" />
        <source>Institutions on a comparable score (the same items, complete visits)</source>
        <translation>各机构可比得分（相同检查项，仅计完整体验）</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="545" />
        <source>This period %</source>
        <translation>本期 %</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="546" />
        <source>Previous period %</source>
        <translation>上期 %</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="572" />
        <source>%1 common items; %2 institution(s) have incomplete visits (left out, see the .xlsx).</source>
        <translation>共同检查项 %1 项；%2 个机构有不完整体验（未计入，详见 .xlsx）。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="575" />
        <source>Not ranked (no complete visit): %1</source>
        <translation>未参与排名（无完整体验）：%1</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="576" />
        <source>Basis: %1 %2 (half-yearly evaluation).</source>
        <translation>依据：%1 %2（每半年阶段评估）。</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="590" />
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="595" />
        <location filename="../../ui/dashboard.py" line="603" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="595" />
        <source>Inspector</source>
        <translation>体验人</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="595" />
        <source>Conformity</source>
        <translation>符合率</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="596" />
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="603" />
        <source>Department</source>
        <translation>责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="603" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="606" />
        <source> (overdue)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="621" />
        <source>Visits in %1</source>
        <translation>%1 的体验记录</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="625" />
        <source>Problems of %1</source>
        <translation>%1 的问题</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="633" />
        <source>Visits of %1</source>
        <translation>%1 的体验记录</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="656" />
        <location filename="../../ui/dashboard.py" line="663" />
        <source>Export numbers</source>
        <translation>导出数据</translation>
    </message>
</context>
<context>
    <name>DeadlineEdit</name>
    <message>
        <location filename="../../ui/deadline_edit.py" line="66" />
        <source>No deadline (e.g. 2026-12-20)</source>
        <translation>未设期限（如 2026-12-20）</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="67" />
        <location filename="../../ui/deadline_edit.py" line="173" />
        <source>Type a date such as 2026-12-20 or 2026/12/20, or pick one</source>
        <translation>可直接输入日期，如 2026-12-20 或 2026/12/20，也可从日历中选择</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="81" />
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="82" />
        <source>Pick the date in a calendar</source>
        <translation>在日历中选择日期</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="102" />
        <source>Today + %1 days</source>
        <translation>今天起 %1 天</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="108" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="110" />
        <source>Remove the deadline</source>
        <translation>取消整改期限</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="153" />
        <source>“%1” is not a date. Type it as 2026-12-20 or 2026/12/20.</source>
        <translation>“%1”不是有效日期。请按 2026-12-20 或 2026/12/20 的格式输入。</translation>
    </message>
    <message>
        <location filename="../../ui/deadline_edit.py" line="198" />
        <source>New deadline:</source>
        <translation>新的整改期限：</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../ui/dashboard.py" line="189" />
        <source>Open visit</source>
        <translation>打开体验记录</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dashboard.py" line="195" />
        <source>%n row(s)</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DueWidget</name>
    <message>
        <location filename="../../ui/due_widget.py" line="30" />
        <location filename="../../ui/due_widget.py" line="83" />
        <location filename="../../ui/due_widget.py" line="123" />
        <source>Rectification deadlines</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="39" />
        <source>Department / problem</source>
        <translation>科室 / 问题</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="39" />
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="39" />
        <source>Within 3 days</source>
        <translation>3 天内到期</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="40" />
        <source>Within 7 days</source>
        <translation>7 天内到期</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="48" />
        <location filename="../../ui/due_widget.py" line="120" />
        <source>Nothing overdue and nothing due within 7 days.</source>
        <translation>没有逾期的整改，7 天内也没有到期的整改。</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="71" />
        <source>Reading the deadlines…</source>
        <translation>正在读取整改期限…</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="94" />
        <source>(No department)</source>
        <translation>（未指定科室）</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="106" />
        <source>%1 days overdue</source>
        <translation>已逾期 %1 天</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="108" />
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="110" />
        <source>in %1 days</source>
        <translation>还有 %1 天</translation>
    </message>
    <message>
        <location filename="../../ui/due_widget.py" line="123" />
        <source> — %1 overdue</source>
        <translation> — 逾期 %1 项</translation>
    </message>
</context>
<context>
    <name>DutyBanner</name>
    <message>
        <location filename="../../ui/duty_view.py" line="344" />
        <source>Not yet walked this month (yubei-2023 四(四)): %1</source>
        <translation>本月尚未体验的院领导（yubei-2023 四(四)）：%1</translation>
    </message>
</context>
<context>
    <name>DutyMatrixModel</name>
    <message>
        <location filename="../../ui/duty_view.py" line="89" />
        <source>%1 and %2 more</source>
        <translation>%1 及另外 %2 项</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="94" />
        <source>%1th</source>
        <translation>%1日</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="107" />
        <source>Plan: %1</source>
        <translation>计划：%1</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="121" />
        <source>%1 No. %2: %3 items answered, %4 problems</source>
        <translation>%1 第 %2 号：已答 %3 项，问题 %4 个</translation>
    </message>
</context>
<context>
    <name>DutyMatrixWidget</name>
    <message>
        <location filename="../../ui/duty_view.py" line="153" />
        <source>Leaders' monthly experience visits</source>
        <translation>院领导每月体验</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="154" />
        <source>Every member of the leadership team walks the patient's path as an ordinary patient every month:</source>
        <translation>领导班子成员每月以普通患者身份体验就医流程：</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="161" />
        <source>All institutions</source>
        <translation>全部机构</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="169" />
        <source>Last %1 months</source>
        <translation>近 %1 个月</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="172" />
        <source>Roster…</source>
        <translation>领导班子…</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="175" />
        <source>Plan this cell…</source>
        <translation>安排本格…</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="178" />
        <source>Rotate routes for 6 months…</source>
        <translation>轮换安排 6 个月…</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="228" />
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="252" />
        <source>Done %1 of %2 owed visits</source>
        <translation>应体验 %2 人次，已完成 %1 人次</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="268" />
        <location filename="../../ui/duty_view.py" line="295" />
        <location filename="../../ui/duty_view.py" line="301" />
        <location filename="../../ui/duty_view.py" line="303" />
        <source>Plan</source>
        <translation>体验安排</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="268" />
        <source>Select a leader and a month in the matrix first.</source>
        <translation>请先在表中选择一位领导和一个月份。</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="284" />
        <source>Roster</source>
        <translation>领导班子</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="284" />
        <location filename="../../ui/duty_view.py" line="295" />
        <source>Choose an institution first.</source>
        <translation>请先选择一个机构。</translation>
    </message>
    <message>
        <location filename="../../ui/duty_view.py" line="303" />
        <source>%1 plan entries added; existing ones were kept.</source>
        <translation>已新增 %1 条安排，原有安排保持不变。</translation>
    </message>
</context>
<context>
    <name>FloorPlanPanel</name>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="29" />
        <source>AED</source>
        <translation>AED</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="30" />
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="31" />
        <source>Facility</source>
        <translation>设施</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="34" />
        <source>Not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="35" />
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="36" />
        <source>Faulty / supplies expired</source>
        <translation>故障/耗材过期</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="37" />
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_style.py" line="38" />
        <source>Blocked / not reachable</source>
        <translation>被遮挡/无法取用</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="36" />
        <source>Import floor plan</source>
        <translation>导入平面图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="37" />
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.heic)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.heic)</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="120" />
        <source>No floor plan yet.</source>
        <translation>还没有平面图。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="120" />
        <source>Import a plan image (photo or scan) of this building.</source>
        <translation>请导入本院建筑的平面图（照片或扫描件）。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="124" />
        <source>Loading floor plan…</source>
        <translation>正在加载平面图…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="165" />
        <source>Fit to window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="303" />
        <source>Link to current item</source>
        <translation>关联当前检查项</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="308" />
        <source>Link to…</source>
        <translation>关联到…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="313" />
        <source>Record as problem</source>
        <translation>记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="161" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="162" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="163" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="164" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="166" />
        <source>Add pin in the middle of the view</source>
        <translation>在视图中央添加图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="167" />
        <location filename="../../ui/floorplan_view/pin_editing.py" line="279" />
        <source>Edit pin</source>
        <translation>编辑图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="168" />
        <location filename="../../ui/floorplan_view/pin_editing.py" line="249" />
        <location filename="../../ui/floorplan_view/pin_editing.py" line="318" />
        <source>Delete pin</source>
        <translation>删除图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="173" />
        <source>Nudge pin</source>
        <translation>微调图钉位置</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="254" />
        <source>The floor plan image cannot be read.</source>
        <translation>无法读取平面图图片。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="254" />
        <source>Import the plan again.</source>
        <translation>请重新导入平面图。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="271" />
        <source>Cannot show the floor plan</source>
        <translation>无法显示平面图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="358" />
        <source>Choose an institution first.</source>
        <translation>请先选择医疗机构。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="371" />
        <source>Cannot import the floor plan</source>
        <translation>无法导入平面图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="151" />
        <source>Import a floor plan first.</source>
        <translation>请先导入平面图。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="156" />
        <source>A problem pin belongs to a visit.</source>
        <translation>问题图钉必须属于某次体验。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="157" />
        <source>Open the plan from a visit to mark problems.</source>
        <translation>请从体验记录中打开平面图来标注问题。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="165" />
        <source>Add pin</source>
        <translation>添加图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="179" />
        <source>Move pin</source>
        <translation>移动图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="184" />
        <source>Rename pin</source>
        <translation>修改图钉说明</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="190" />
        <source>Check AED</source>
        <translation>检查 AED</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="225" />
        <source>The AED was not recorded as a problem</source>
        <translation>AED 未能记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="231" />
        <source>Recorded as a problem</source>
        <translation>已记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="232" />
        <source>Problem No. %1: %2</source>
        <translation>第 %1 号问题：%2</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="291" />
        <source>Edit label…</source>
        <translation>编辑位置说明…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="295" />
        <source>Check status</source>
        <translation>检查状态</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="350" />
        <location filename="../../ui/floorplan_view/pin_editing.py" line="367" />
        <source>The pin was not saved</source>
        <translation>图钉未保存</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/pin_editing.py" line="395" />
        <source>Add %1 pin here</source>
        <translation>在此添加“%1”图钉</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="390" />
        <source>Tap the plan to add a pin of the chosen kind. Drag a pin to move it; double-tap it to edit.</source>
        <translation>点击平面图添加所选类型的图钉；拖动图钉可移动，双击可编辑。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="392" />
        <source>This visit is finalized: the plan is read-only.</source>
        <translation>本次体验已完成，平面图为只读。</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="396" />
        <source>(no label)</source>
        <translation>（无位置说明）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/panel.py" line="400" />
        <source>linked to an item</source>
        <translation>已关联检查项</translation>
    </message>
</context>
<context>
    <name>FreeFindingDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="337" />
        <source>Other problem</source>
        <translation>其他问题</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="337" />
        <source>Edit problem</source>
        <translation>修改问题</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="340" />
        <source>What did you find? Where, when, what a patient experiences.</source>
        <translation>发现了什么问题？在哪里、何时、患者会遇到什么情况。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="342" />
        <source>e.g. 门诊大厅</source>
        <translation>例如：门诊大厅</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="358" />
        <source>Problem</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="359" />
        <source>Area</source>
        <translation>区域/地点</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="360" />
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="361" />
        <source>Responsible department</source>
        <translation>责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="392" />
        <source>Cannot add the problem</source>
        <translation>无法添加问题</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="392" />
        <source>Cannot save the problem</source>
        <translation>问题未能保存</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <location filename="../../ui/help.py" line="93" />
        <source>User guide</source>
        <translation>使用指南</translation>
    </message>
</context>
<context>
    <name>HeatMapModel</name>
    <message>
        <location filename="../../ui/dashboard.py" line="160" />
        <source>%1: %2 conforming, %3 not conforming</source>
        <translation>%1：符合 %2 项，不符合 %3 项</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../ui/help.py" line="27" />
        <source>Conform — and on to the next item</source>
        <translation>符合，并进入下一项</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="28" />
        <source>Nonconform — stays on the item, the cursor goes to the note</source>
        <translation>不符合：停留在本项，光标进入备注框</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="29" />
        <source>Not applicable — and on to the next item</source>
        <translation>不适用，并进入下一项</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="30" />
        <source>Previous / next item</source>
        <translation>上一项 / 下一项</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="31" />
        <source>Next item</source>
        <translation>下一项</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="32" />
        <source>From the note (or any field of the item) back to the item list</source>
        <translation>从备注框（或本项的任何输入框）回到检查项列表</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="33" />
        <source>At the end of the note: back to the item list</source>
        <translation>在备注末尾：回到检查项列表</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="34" />
        <source>Undo / redo answers, notes, severity and department</source>
        <translation>撤销 / 重做作答、备注、严重程度和责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="35" />
        <source>Other problem: one that no checklist item covers</source>
        <translation>其他问题：检查表未涵盖的问题</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="36" />
        <source>Paste a photo into the current item</source>
        <translation>把照片粘贴到当前检查项</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="37" />
        <source>Item · journey timer · floor plans and AED map · problems and rectification</source>
        <translation>检查项 · 就诊计时 · 平面图与 AED 地图 · 问题与整改</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="38" />
        <source>Floor plan: new pins are AEDs / problems / facilities</source>
        <translation>平面图：新图钉为 AED / 问题 / 设施</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="39" />
        <source>Floor plan: add a pin in the middle of the view</source>
        <translation>平面图：在视图中央添加图钉</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="40" />
        <source>Floor plan or photo editor: delete the selected pin or mark</source>
        <translation>平面图或照片编辑：删除选中的图钉或标注</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="41" />
        <source>Home screen: refresh</source>
        <translation>主界面：刷新</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="42" />
        <source>This user guide</source>
        <translation>打开使用指南</translation>
    </message>
</context>
<context>
    <name>IndicatorDialog</name>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="53" />
        <source>Indicators — %1</source>
        <translation>评估指标 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="60" />
        <source>A quarter as 2024-Q1, a month as 2024-03</source>
        <translation>季度写作 2024-Q1，月写作 2024-03</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="63" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="68" />
        <source>Indicator set</source>
        <translation>指标集</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="70" />
        <source>Period</source>
        <translation>统计期</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="79" />
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="79" />
        <source>Required by</source>
        <translation>要求填报的条款</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="79" />
        <source>Target in force</source>
        <translation>当期目标</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="79" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="80" />
        <source>Data source</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="80" />
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="80" />
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="90" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="93" />
        <source>Indicator report (PDF)…</source>
        <translation>评估指标报告（PDF）…</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="123" />
        <source>Cannot show the indicators</source>
        <translation>无法显示评估指标</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="131" />
        <source>No document of %1 requires these indicators: nothing to report for this set.</source>
        <translation>%1的文件不要求填报这些指标：本指标集无需填报。</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="132" />
        <source>(no region recorded)</source>
        <translation>（未填写所在地区）</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="135" />
        <source>%1 indicators required of this institution. Targets are those its own documents set; without one a value is recorded, not judged. Values in brackets come from earlier visits.</source>
        <translation>本机构须填报 %1 项指标。目标只采用本机构所在地区文件设定的指标值；没有目标的只记录、不判定。括号内的数值来自以往体验记录。</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="152" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="208" />
        <location filename="../../ui/indicator_dialog.py" line="222" />
        <source>Cannot save the indicators</source>
        <translation>无法保存评估指标</translation>
    </message>
    <message>
        <location filename="../../ui/indicator_dialog.py" line="241" />
        <source>Cannot write the report</source>
        <translation>无法生成报告</translation>
    </message>
</context>
<context>
    <name>InstitutionDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="108" />
        <source>Edit institution</source>
        <translation>编辑医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="108" />
        <source>New institution</source>
        <translation>新增医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="115" />
        <source>Level 1</source>
        <translation>一级</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="115" />
        <source>Level 2</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="115" />
        <source>Level 3</source>
        <translation>三级</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="117" />
        <source>Has obstetrics (＃ items apply)</source>
        <translation>设有产科（适用＃项目）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="118" />
        <source>Leads a medical alliance (▲ items apply)</source>
        <translation>医联体牵头医院（适用▲项目）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="126" />
        <source>e.g. 重庆市渝北区 (decides which documents bind it)</source>
        <translation>例如 重庆市渝北区（决定哪些文件约束本机构）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="132" />
        <source>One department per line, e.g. 门诊部</source>
        <translation>每行一个科室，例如：门诊部</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="149" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="150" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="151" />
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="154" />
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="156" />
        <source>Departments</source>
        <translation>科室</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="212" />
        <source>Cannot save the institution</source>
        <translation>无法保存医疗机构</translation>
    </message>
</context>
<context>
    <name>ItemPanel</name>
    <message>
        <location filename="../../ui/item_panel.py" line="82" />
        <source>Click a citation to read the passage in its document</source>
        <translation>点击依据可查看原文中的相应段落</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="91" />
        <source>Conform</source>
        <translation>符合</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="92" />
        <source>Nonconform</source>
        <translation>不符合</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="93" />
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="113" />
        <source>Key %1</source>
        <translation>快捷键 %1</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="143" />
        <source>Note: what exactly did you see? (saved as you type)</source>
        <translation>备注：具体看到了什么？（输入即自动保存）</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="179" />
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="180" />
        <source>Responsible department</source>
        <translation>责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="214" />
        <source>No item selected</source>
        <translation>未选择检查项</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="221" />
        <source>How to check: </source>
        <translation>检查方法：</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="251" />
        <source>⚠ A photo is required for this nonconformity</source>
        <translation>⚠ 此项不符合时须拍照留证</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="254" />
        <source>A photo is required when nonconforming</source>
        <translation>不符合时须拍照</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="273" />
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="275" />
        <source>Local requirement (本地要求)</source>
        <translation>本地要求</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="276" />
        <source>Reference: good practice from documents of other regions (参考)</source>
        <translation>参考：外地文件中的良好做法</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="290" />
        <source>Target: %1</source>
        <translation>目标值：%1</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="371" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../ui/item_panel.py" line="373" />
        <source>This answer was changed elsewhere (another window or the command line) after you opened it. Saved now: “%1”. The box below still holds your text; edit it to save it instead.</source>
        <translation>您打开本项后，这条作答已在别处（其他窗口或命令行）被修改。现已保存的内容：“%1”。下面的备注框仍保留您输入的文字；如需以您的文字为准，请再编辑一下即可保存。</translation>
    </message>
</context>
<context>
    <name>JourneyPanel</name>
    <message>
        <location filename="../../ui/journey_panel.py" line="60" />
        <source>Enter the time on the booking slip</source>
        <translation>输入预约单上的就诊时间</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="69" />
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="69" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="72" />
        <source>Interval</source>
        <translation>区间</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="72" />
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="72" />
        <source>Target (min)</source>
        <translation>目标（分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="80" />
        <source>Delete step</source>
        <translation>删除环节</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="86" />
        <source>Steps (double-click a time to correct it)</source>
        <translation>已记录环节（双击时间可修改）</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="89" />
        <source>Intervals</source>
        <translation>各环节用时</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="114" />
        <source>Booked time</source>
        <translation>预约就诊时间</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="120" />
        <location filename="../../ui/journey_panel.py" line="161" />
        <source>Cannot record the step</source>
        <translation>无法记录该环节</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="172" />
        <source>Cannot delete the step</source>
        <translation>无法删除该环节</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="206" />
        <source>Record as problem</source>
        <translation>记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="226" />
        <source>Whole visit (%1)</source>
        <translation>全程（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="233" />
        <source>%1 min early</source>
        <translation>提前 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="234" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="243" />
        <source>The wait was not recorded as a problem</source>
        <translation>该等候未能记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="249" />
        <source>Recorded as a problem</source>
        <translation>已记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="250" />
        <source>Problem No. %1: %2</source>
        <translation>第 %1 号问题：%2</translation>
    </message>
    <message>
        <location filename="../../ui/journey_panel.py" line="270" />
        <source>Since “%1”: %2 min %3 s</source>
        <translation>距“%1”：%2 分 %3 秒</translation>
    </message>
</context>
<context>
    <name>Jurisdiction</name>
    <message>
        <location filename="../../ui/dialogs.py" line="78" />
        <source>No region recorded: every item is reference (good practice), none a local requirement.</source>
        <translation>未填写所在地区：全部检查项均为参考（良好做法），没有本地要求。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="81" />
        <source>%1 lies outside every source document's region: every item is reference (good practice written elsewhere), none a local requirement.</source>
        <translation>%1不在任何依据文件的适用地区内：全部检查项均为参考（外地文件中的良好做法），没有本地要求。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="84" />
        <source>Documents of %1 address other kinds of institution: every item is reference.</source>
        <translation>%1的依据文件只适用于其他类别的机构：全部检查项均为参考。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="90" />
        <source>Binding documents (本地要求): %1</source>
        <translation>约束本机构的文件（本地要求）：%1</translation>
    </message>
</context>
<context>
    <name>LeaderDialog</name>
    <message>
        <location filename="../../ui/roster_dialog.py" line="81" />
        <source>Leader</source>
        <translation>院领导</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="81" />
        <source>New leader</source>
        <translation>新增院领导</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="90" />
        <source>from</source>
        <translation>起</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="91" />
        <source>until</source>
        <translation>止</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="93" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="94" />
        <source>Role</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="95" />
        <source>In office</source>
        <translation>任职起止</translation>
    </message>
</context>
<context>
    <name>LedgerButtons</name>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="647" />
        <source>Ledger (Excel)…</source>
        <translation>整改台账（Excel）…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="648" />
        <source>Import returned ledger…</source>
        <translation>导入科室回执台账…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="649" />
        <location filename="../../ui/ledger_dialogs.py" line="673" />
        <source>Notice (Word)…</source>
        <translation>整改通知书（Word）…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="673" />
        <source>Choose a problem of the visit first: a notice covers one visit.</source>
        <translation>请先在列表中选择该次体验的一个问题：通知书针对一次体验检查。</translation>
    </message>
</context>
<context>
    <name>LedgerExportDialog</name>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="142" />
        <source>Rectification ledger (Excel)</source>
        <translation>整改台账（Excel）</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="149" />
        <source>This visit (%1)</source>
        <translation>本次体验（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="150" />
        <source>All visits of the institution</source>
        <translation>本机构全部体验记录</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="151" />
        <source>Office ledger (all sheets, not locked)</source>
        <translation>办公室台账（完整，不加锁）</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="152" />
        <source>Workbook for one department to fill in and return</source>
        <translation>发给一个科室填写并返回的台账</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="154" />
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="157" />
        <source>Only problems not yet verified</source>
        <translation>只含未验收的问题</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="160" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="170" />
        <source>Problems of:</source>
        <translation>问题范围：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="173" />
        <source>Department:</source>
        <translation>科室：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="175" />
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="177" />
        <location filename="../../ui/ledger_dialogs.py" line="239" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="179" />
        <source>Deadlines as calendar (.ics)…</source>
        <translation>导出整改期限日历（.ics）…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="180" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="214" />
        <source>Rectification ledger</source>
        <translation>整改台账</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="218" />
        <source>-to fill in</source>
        <translation>-科室填写</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="222" />
        <source>Save the ledger as</source>
        <translation>台账保存为</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="222" />
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="239" />
        <source>Choose the department the workbook is for.</source>
        <translation>请选择接收台账的科室。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="254" />
        <source>Saved %1: %2 problems, %3 photos.</source>
        <translation>已保存 %1：%2 个问题，%3 张照片。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="260" />
        <source>Cancelled; no file was written.</source>
        <translation>已取消，未写入文件。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="264" />
        <source>The ledger was not exported</source>
        <translation>台账未导出</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="263" />
        <source>Writing the ledger…</source>
        <translation>正在生成台账…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="273" />
        <source>Save the deadlines as</source>
        <translation>整改期限日历保存为</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="273" />
        <source>Calendar files (*.ics)</source>
        <translation>日历文件 (*.ics)</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="283" />
        <source>Saved %1: %2 deadlines.</source>
        <translation>已保存 %1：%2 个整改期限。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="286" />
        <source>Writing the calendar…</source>
        <translation>正在生成日历…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="287" />
        <source>The calendar was not written</source>
        <translation>日历未生成</translation>
    </message>
</context>
<context>
    <name>LedgerImportDialog</name>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="305" />
        <location filename="../../ui/ledger_dialogs.py" line="359" />
        <source>Import a returned ledger</source>
        <translation>导入科室回执台账</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="309" />
        <source>The .xlsx file the department sent back</source>
        <translation>科室填写后返回的 .xlsx 文件</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="310" />
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="314" />
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="321" />
        <source>Choose the workbook to see what it changes. Nothing is changed before you apply.</source>
        <translation>请选择工作簿，先查看将要修改的内容；点“应用”之前不会修改任何数据。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="326" />
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="326" />
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="326" />
        <source>What happens</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="326" />
        <source>Changes</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="335" />
        <source>Import the other rows and leave the conflicting rows as they are in the app</source>
        <translation>导入其余各行，冲突行保持程序中的内容</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="340" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="343" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="359" />
        <source>Excel workbooks (*.xlsx);;All files (*)</source>
        <translation>Excel 工作簿 (*.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="381" />
        <source>This workbook cannot be imported</source>
        <translation>此工作簿无法导入</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="383" />
        <source>Checking the workbook…</source>
        <translation>正在检查工作簿…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="388" />
        <source>Will change</source>
        <translation>将修改</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="389" />
        <source>Not changed by the department</source>
        <translation>科室未修改</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="390" />
        <source>Already imported</source>
        <translation>已导入过</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="391" />
        <source>Conflict: changed in the app since export</source>
        <translation>冲突：导出后已在程序中修改</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="403" />
        <source>%1 — in the app: %2 · in the workbook: %3</source>
        <translation>%1 — 程序中：%2 · 台账中：%3</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="430" />
        <source>Returned by %1 (exported %2): %3 to import, %4 unchanged, %5 already imported, %6 conflicts.</source>
        <translation>%1 返回（%2 导出）：待导入 %3 行，未修改 %4 行，已导入过 %5 行，冲突 %6 行。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="453" />
        <source>Imported %1 changes from %2.</source>
        <translation>已导入 %2 的 %1 项修改。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="459" />
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="465" />
        <source>Nothing was imported</source>
        <translation>未导入任何内容</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="468" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
</context>
<context>
    <name>LinkChooserDialog</name>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="124" />
        <source>Link the pin to…</source>
        <translation>把图钉关联到…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="128" />
        <source>Search…</source>
        <translation>搜索…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="134" />
        <source>Problem No. %1: %2</source>
        <translation>第 %1 号问题：%2</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="141" />
        <source>Item: %1</source>
        <translation>检查项：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="159" />
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="56" />
        <source>Mystery patient audit</source>
        <translation>患者体验暗访</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="69" />
        <source>New institution…</source>
        <translation>新增医疗机构…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="72" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="74" />
        <source>Floor plans / AED map…</source>
        <translation>平面图 / AED 地图…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="76" />
        <source>Indicators…</source>
        <translation>评估指标…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="78" />
        <source>Fill in the evaluation indicators (评估指标) per period, apart from visits</source>
        <translation>按期填报评估指标（与体验检查分开）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="80" />
        <source>Start a new visit…</source>
        <translation>开始新的体验…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>Open visit</source>
        <translation>打开体验记录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="88" />
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="90" />
        <source>Move the selected institution with its visits to the trash</source>
        <translation>把所选医疗机构连同其体验记录移入回收站</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="92" />
        <source>Delete visit…</source>
        <translation>删除体验…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="95" />
        <source>Move the selected visit to the trash (File → Trash brings it back)</source>
        <translation>把所选体验移入回收站（可在“文件 → 回收站”中恢复）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="97" />
        <source>Rectifications…</source>
        <translation>整改跟踪…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Reports…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="101" />
        <source>Leaders' duty…</source>
        <translation>院领导每月体验…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="104" />
        <source>Dashboard…</source>
        <translation>统计看板…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="110" />
        <source>&lt;b&gt;Welcome.&lt;/b&gt; Start by adding the hospital you will visit: click &lt;b&gt;New institution…&lt;/b&gt; below and enter its name, kind and level. Then select it and click &lt;b&gt;Start a new visit…&lt;/b&gt; on the right.</source>
        <translation>&lt;b&gt;欢迎使用。&lt;/b&gt;第一步，添加要体验的医院：点击下方的&lt;b&gt;新增医疗机构…&lt;/b&gt;，填写名称、类型和级别。然后选中该机构，点击右侧的&lt;b&gt;开始新的体验…&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="123" />
        <source>Institutions</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="141" />
        <location filename="../../ui/main_window.py" line="270" />
        <source>Visits</source>
        <translation>体验/检查记录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="180" />
        <source>All changes saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183" />
        <location filename="../../ui/main_window.py" line="643" />
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="212" />
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="215" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="218" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="221" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="223" />
        <source>&amp;User guide</source>
        <translation>使用指南(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="226" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="229" />
        <source>Sync and &amp;packages…</source>
        <translation>同步与数据包(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="231" />
        <source>Sync &amp;conflicts…</source>
        <translation>同步冲突(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="233" />
        <source>&amp;Trash…</source>
        <translation>回收站(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="236" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="244" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="291" />
        <source>Visits of %1</source>
        <translation>%1 的体验/检查记录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="299" />
        <source>No visit of %1 yet. Click &lt;b&gt;Start a new visit…&lt;/b&gt; below to begin walking it as a patient.</source>
        <translation>%1 还没有体验记录。点击下方的&lt;b&gt;开始新的体验…&lt;/b&gt;，以患者身份开始体验。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="348" />
        <source>Indicators</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="368" />
        <source>New visit</source>
        <translation>新的体验</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="348" />
        <location filename="../../ui/main_window.py" line="368" />
        <source>Add or select an institution first.</source>
        <translation>请先新增或选择一家医疗机构。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="353" />
        <location filename="../../ui/main_window.py" line="373" />
        <location filename="../../ui/main_window.py" line="397" />
        <source>The checklists cannot be loaded</source>
        <translation>无法加载检查表</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="417" />
        <location filename="../../ui/main_window.py" line="430" />
        <source>Delete visit</source>
        <translation>删除体验</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="417" />
        <source>Select a visit first.</source>
        <translation>请先选择一条体验记录。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="421" />
        <source>Delete the visit of %1 on %2 by %3 (%4 of %5 items answered)?</source>
        <translation>删除 %1 于 %2 由 %3 进行的体验（已答 %4/%5 项）？</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="428" />
        <location filename="../../ui/main_window.py" line="455" />
        <source>It leaves every list, report and ranking. File → Trash brings it back.</source>
        <translation>删除后它不再出现在任何列表、报告和排名中，可在“文件 → 回收站”中恢复。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="437" />
        <source>The visit was not deleted</source>
        <translation>体验未删除</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="441" />
        <source>Visit moved to the trash.</source>
        <translation>体验已移入回收站。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="451" />
        <source>Delete %1 with its %2 visits, departments and floor plans?</source>
        <translation>删除 %1 及其 %2 次体验、科室和平面图？</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="457" />
        <source>Delete institution</source>
        <translation>删除医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="462" />
        <source>The institution was not deleted</source>
        <translation>医疗机构未删除</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="466" />
        <source>Institution moved to the trash.</source>
        <translation>医疗机构已移入回收站。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="485" />
        <source>Rectifications of %1</source>
        <translation>%1 的整改跟踪</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="503" />
        <source>Floor plans of %1</source>
        <translation>%1 的平面图</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="572" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="589" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="589" />
        <source>Language and data folder changes take effect when the app starts again.</source>
        <translation>语言和数据文件夹的更改将在下次启动软件时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="618" />
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="626" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="626" />
        <source>Restored. The state before the restore was saved as %1</source>
        <translation>已恢复。恢复前的数据已另存为 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="636" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="637" />
        <source>Mystery patient audit %1</source>
        <translation>患者体验暗访 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="681" />
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="682" />
        <source>Your name as inspector (shown in visits and in the change history):</source>
        <translation>请输入您的检查人姓名（将显示在体验记录和修改记录中）：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="702" />
        <source>Settings not saved</source>
        <translation>设置未保存</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="90" />
        <source>No permission to write %1.</source>
        <translation>没有写入 %1 的权限。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="92" />
        <source>The folder of %1 does not exist.</source>
        <translation>%1 所在的文件夹不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="94" />
        <source>The disk is full: %1 was not written.</source>
        <translation>磁盘已满，%1 未写入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="96" />
        <source>%1 could not be written.</source>
        <translation>%1 无法写入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="99" />
        <source>Choose another folder, or check the disk and its permissions.</source>
        <translation>请选择其他文件夹，或检查磁盘及其权限。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="142" />
        <source>Sorry, something went wrong that the app did not expect. Your saved work is safe.</source>
        <translation>抱歉，软件遇到了意外错误。已保存的内容不受影响。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="148" />
        <source>The details were written to %1. Please send this file to your support contact.</source>
        <translation>详细信息已记录在 %1，请将该文件发送给技术支持人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="152" />
        <source>Please note what you were doing and tell your support contact.</source>
        <translation>请记下当时的操作，并告知技术支持人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="162" />
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>NewVisitDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="235" />
        <source>New visit — %1</source>
        <translation>新的体验 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="242" />
        <source>Self experience (院内自查)</source>
        <translation>院内自查</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="243" />
        <source>Bureau inspection (上级督查)</source>
        <translation>上级督查</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="249" />
        <source>Local requirements only (只检查本地要求)</source>
        <translation>只检查本地要求</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="251" />
        <source>Leave out the items only documents of other regions ask for</source>
        <translation>不检查只有外地文件要求的项目</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="268" />
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="269" />
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="270" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="276" />
        <source>Checklists (pre-selected by template “%1”)</source>
        <translation>检查表（已按“%1”模板预选）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="280" />
        <source>Checklists</source>
        <translation>检查表</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="298" />
        <source>New visit</source>
        <translation>新的体验</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="298" />
        <source>Choose at least one checklist.</source>
        <translation>请至少选择一张检查表。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="312" />
        <source>Cannot start the visit</source>
        <translation>无法开始体验</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../ui/notice_bar.py" line="41" />
        <source>Hide this message</source>
        <translation>隐藏此提示</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="491" />
        <source>Rectification notice (Word)</source>
        <translation>整改通知书（Word）</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="494" />
        <source>All departments (to the institution)</source>
        <translation>全部科室（主送本机构）</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="499" />
        <source>e.g. 院质改〔2026〕5号</source>
        <translation>例如 院质改〔2026〕5号</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="509" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="520" />
        <source>To:</source>
        <translation>主送：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="521" />
        <source>Document number (文号):</source>
        <translation>文号：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="522" />
        <source>Signed off by (签发人):</source>
        <translation>签发人：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="523" />
        <source>Issuing office:</source>
        <translation>发文机关：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="524" />
        <source>Date:</source>
        <translation>成文日期：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="525" />
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="527" />
        <source>Write notice</source>
        <translation>生成通知书</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="529" />
        <source>Open in Word/WPS</source>
        <translation>用 Word/WPS 打开</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="530" />
        <source>Preview and print…</source>
        <translation>预览并打印…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="532" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="537" />
        <source>Converts the notice to PDF with LibreOffice and shows it for printing</source>
        <translation>用 LibreOffice 转为 PDF 后预览并打印</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="551" />
        <source>Rectification notice</source>
        <translation>整改通知书</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="555" />
        <source>Save the notice as</source>
        <translation>通知书保存为</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="555" />
        <source>Word documents (*.docx)</source>
        <translation>Word 文档 (*.docx)</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="578" />
        <source>Saved %1: %2 problems.</source>
        <translation>已保存 %1：%2 个问题。</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="586" />
        <source>Writing the notice…</source>
        <translation>正在生成通知书…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="587" />
        <source>The notice was not written</source>
        <translation>通知书未生成</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="606" />
        <source>Preparing the print preview…</source>
        <translation>正在准备打印预览…</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="609" />
        <source>No print preview</source>
        <translation>无法打印预览</translation>
    </message>
    <message>
        <location filename="../../ui/ledger_dialogs.py" line="610" />
        <source>LibreOffice could not convert the notice to PDF. Open it in Word or WPS to print it.</source>
        <translation>LibreOffice 无法把通知书转为 PDF。请用 Word 或 WPS 打开后打印。</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../ui/workers.py" line="164" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/workers.py" line="165" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>PdfPreviewWindow</name>
    <message>
        <location filename="../../ui/reports_dialog.py" line="124" />
        <source>The PDF has no pages to print.</source>
        <translation>该 PDF 没有可打印的页面。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="131" />
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="132" />
        <source>Check that the printer is switched on and connected.</source>
        <translation>请检查打印机是否已开机并已连接。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="178" />
        <source>Cannot read %1 for printing.</source>
        <translation>无法读取 %1 进行打印。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="181" />
        <source>Generate the report again, then print it.</source>
        <translation>请重新生成报告后再打印。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="202" />
        <source>Report preview — %1</source>
        <translation>报告预览 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="221" />
        <source>The PDF could not be opened: %1</source>
        <translation>无法打开 PDF：%1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="226" />
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="240" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="241" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="242" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="244" />
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="245" />
        <source>Whole page</source>
        <translation>整页</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="246" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="247" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="260" />
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="302" />
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="301" />
        <source>%1 pages sent to the printer</source>
        <translation>已向打印机发送 %1 页</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="304" />
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="305" />
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="311" />
        <source>Save report as</source>
        <translation>报告另存为</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="311" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="324" />
        <source>The copy was not saved</source>
        <translation>副本未保存</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="326" />
        <source>Saved a copy as %1</source>
        <translation>已另存副本：%1</translation>
    </message>
</context>
<context>
    <name>PhotoEditorDialog</name>
    <message>
        <location filename="../../ui/photos/editor.py" line="120" />
        <source>Photo: %1</source>
        <translation>照片：%1</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="146" />
        <source>Preview export</source>
        <translation>预览导出效果</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="148" />
        <source>Show the photo exactly as reports and exports will show it (P)</source>
        <translation>按报告和导出中的实际效果显示照片（P）</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="151" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="151" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="153" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="181" />
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="182" />
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="183" />
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="184" />
        <source>Ellipse</source>
        <translation>椭圆</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="185" />
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="186" />
        <source>Black out</source>
        <translation>涂黑遮挡</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="187" />
        <source>Blur</source>
        <translation>模糊遮挡</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="206" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="208" />
        <source>Delete the selected mark (Del)</source>
        <translation>删除选中的标注（Del）</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="216" />
        <source>Colour of new marks and of the selected mark</source>
        <translation>新标注及选中标注的颜色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="218" />
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="219" />
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="220" />
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="221" />
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="222" />
        <source>White</source>
        <translation>白色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="223" />
        <source>Black</source>
        <translation>黑色</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="229" />
        <source>Colour:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="249" />
        <source>Preview: the photo exactly as it will appear in reports and exports.</source>
        <translation>预览：照片在报告和导出文件中的实际效果。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="251" />
        <source>Read-only: the photo can be viewed and previewed but not changed.</source>
        <translation>只读：可查看和预览照片，但不能修改。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="254" />
        <source>Tap a mark to select it, drag to move it; Delete removes it. Double-tap a label to change its text.</source>
        <translation>点按标注可选中，拖动可移动；按 Delete 键删除。双击文字标注可修改文字。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="255" />
        <source>Drag to draw an arrow; the head is where you let go.</source>
        <translation>拖动绘制箭头，松手处为箭头尖端。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="256" />
        <source>Drag to draw a rectangle around the problem.</source>
        <translation>拖动在问题处画矩形框。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="257" />
        <source>Drag to draw an ellipse around the problem.</source>
        <translation>拖动在问题处画椭圆圈。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="258" />
        <source>Tap where the label should start, then type its text.</source>
        <translation>点按文字起始位置，然后输入文字。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="259" />
        <source>Drag over a face, name or number: it is covered with black in every export.</source>
        <translation>拖动覆盖人脸、姓名或号码：所有导出中该区域将被涂黑。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="260" />
        <source>Drag over a face, name or number: it is blurred beyond recognition in every export.</source>
        <translation>拖动覆盖人脸、姓名或号码：所有导出中该区域将被模糊至无法辨认。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="264" />
        <source>The visit is finalized: only redactions can be added or changed.</source>
        <translation>本次检查已定稿：只能添加或修改遮挡。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="278" />
        <location filename="../../ui/photos/editor.py" line="288" />
        <source>Text label</source>
        <translation>文字标注</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="278" />
        <location filename="../../ui/photos/editor.py" line="288" />
        <source>Text of the label:</source>
        <translation>标注文字：</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="328" />
        <source>Preparing the preview…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="334" />
        <source>Preview not available</source>
        <translation>无法预览</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="363" />
        <source>Marks not saved</source>
        <translation>标注未保存</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="390" />
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <location filename="../../ui/photos/editor.py" line="390" />
        <source>Discard the changes to the marks and redactions of this photo?</source>
        <translation>放弃对这张照片标注和遮挡的修改吗？</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../../ui/photos/strip.py" line="209" />
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="210" />
        <source>Choose photo files (JPEG, PNG, WebP, HEIC)</source>
        <translation>选择照片文件（JPEG、PNG、WebP、HEIC）</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="212" />
        <location filename="../../ui/photos/strip.py" line="437" />
        <location filename="../../ui/photos/strip.py" line="447" />
        <source>Take photo</source>
        <translation>拍照</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="213" />
        <source>Take a photo with this computer's camera</source>
        <translation>用本机摄像头拍照</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="219" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="251" />
        <location filename="../../ui/photos/strip.py" line="492" />
        <source>Paste photo</source>
        <translation>粘贴照片</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="255" />
        <source>Annotate or redact…</source>
        <translation>标注或遮挡…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="257" />
        <source>Edit caption…</source>
        <translation>编辑说明…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="259" />
        <source>Delete photo</source>
        <translation>删除照片</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="339" />
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="375" />
        <source>Taken %1</source>
        <translation>拍摄于 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/photos/strip.py" line="378" />
        <source>%n mark(s) or redaction(s)</source>
        <translation>
            <numerusform>%n 处标注或遮挡</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="394" />
        <source>Photo file missing</source>
        <translation>照片文件缺失</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="411" />
        <source>Choose an item to see its photos.</source>
        <translation>请选择检查项以查看其照片。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="414" />
        <source>No photos yet. Drop photo files here, paste a picture (Ctrl+V) or use “Add photos…”.</source>
        <translation>暂无照片。可将照片文件拖到这里、粘贴图片（Ctrl+V）或点击“添加照片…”。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="417" />
        <source>No photos.</source>
        <translation>暂无照片。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="424" />
        <location filename="../../ui/photos/strip.py" line="512" />
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="425" />
        <source>Photos (%1)</source>
        <translation>照片 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="425" />
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="439" />
        <source>No camera was detected on this computer. Take the photo with a phone or camera and add it with “Add photos…”, or drop the file here.</source>
        <translation>未检测到摄像头。请用手机或相机拍照，再通过“添加照片…”导入，或将文件直接拖到这里。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="492" />
        <source>The clipboard holds no picture or photo file.</source>
        <translation>剪贴板中没有图片或照片文件。</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="510" />
        <source>Importing photos…</source>
        <translation>正在导入照片…</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="513" />
        <location filename="../../ui/photos/strip.py" line="525" />
        <source>Photos not imported</source>
        <translation>照片未导入</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/photos/strip.py" line="523" />
        <source>%n photo(s) could not be imported:</source>
        <translation>
            <numerusform>%n 张照片未能导入：</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="588" />
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="603" />
        <source>Caption</source>
        <translation>照片说明</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="603" />
        <source>Caption of the photo:</source>
        <translation>照片说明：</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="606" />
        <source>Caption not saved</source>
        <translation>说明未保存</translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="620" />
        <source>Photo not deleted</source>
        <translation>照片未删除</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/photos/strip.py" line="624" />
        <source>%n photo(s) deleted.</source>
        <translation>
            <numerusform>已删除 %n 张照片。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/photos/strip.py" line="635" />
        <source>Photo not restored</source>
        <translation>照片未恢复</translation>
    </message>
</context>
<context>
    <name>PinBar</name>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="128" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="129" />
        <source>Link to current item</source>
        <translation>关联当前检查项</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="130" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="131" />
        <source>Link to…</source>
        <translation>关联到…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="133" />
        <source>Point this problem pin at any item or problem of the visit</source>
        <translation>把这个问题图钉关联到本次体验的任一检查项或问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="134" />
        <source>Record as problem</source>
        <translation>记为问题</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="136" />
        <source>A faulty, missing or blocked AED becomes a problem of this visit</source>
        <translation>把故障、缺失或被遮挡的 AED 记为本次体验的问题</translation>
    </message>
</context>
<context>
    <name>PinEditDialog</name>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="77" />
        <source>Pin %1</source>
        <translation>图钉 %1</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="81" />
        <source>Where exactly, e.g. next to the registration desk</source>
        <translation>具体位置，例如：挂号处旁</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="82" />
        <source>Label:</source>
        <translation>位置说明：</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="89" />
        <source>Check status:</source>
        <translation>检查状态：</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="92" />
        <source>Link to current item</source>
        <translation>关联当前检查项</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="94" />
        <source>Delete pin</source>
        <translation>删除图钉</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <location filename="../../ui/roster_dialog.py" line="196" />
        <source>Plan for %1, %2</source>
        <translation>%1 %2 的体验安排</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="208" />
        <source>Routes</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="209" />
        <source>Route in words</source>
        <translation>路线说明</translation>
    </message>
</context>
<context>
    <name>PlanImportDialog</name>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="49" />
        <source>Import floor plan</source>
        <translation>导入平面图</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="51" />
        <source>e.g. Outpatient building, ground floor</source>
        <translation>例如：门诊楼一层</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="53" />
        <source>e.g. 1F</source>
        <translation>例如：1F</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="55" />
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="56" />
        <source>Plan name:</source>
        <translation>平面图名称：</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/dialogs.py" line="57" />
        <source>Floor:</source>
        <translation>楼层：</translation>
    </message>
</context>
<context>
    <name>PlanToolbar</name>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="40" />
        <source>Import floor plan…</source>
        <translation>导入平面图…</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="59" />
        <source>New pins are of this kind (Alt+%1)</source>
        <translation>新图钉为此类型（Alt+%1）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="71" />
        <source>Zoom out (Ctrl+-)</source>
        <translation>缩小（Ctrl+-）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="72" />
        <source>Zoom in (Ctrl++)</source>
        <translation>放大（Ctrl++）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="73" />
        <source>Fit to window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="74" />
        <source>Show the whole plan (Ctrl+0)</source>
        <translation>显示整张平面图（Ctrl+0）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="75" />
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销（Ctrl+Z）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="76" />
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>重做（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="86" />
        <source>Floor plan:</source>
        <translation>平面图：</translation>
    </message>
    <message>
        <location filename="../../ui/floorplan_view/controls.py" line="91" />
        <source>New pin:</source>
        <translation>新图钉：</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../../ui/messages.py" line="44" />
        <source>Look in:</source>
        <translation>查找范围：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="45" />
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="46" />
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="47" />
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RectificationTableModel</name>
    <message>
        <location filename="../../ui/rectifications.py" line="136" />
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="137" />
        <source>Visit</source>
        <translation>体验日期</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="138" />
        <source>Area</source>
        <translation>区域/地点</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="139" />
        <source>Problem</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="140" />
        <source>Department</source>
        <translation>责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="141" />
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="142" />
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="143" />
        <source>Status</source>
        <translation>整改状态</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="144" />
        <location filename="../../ui/rectifications.py" line="202" />
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="191" />
        <source>[Re-check] </source>
        <translation>［复查］</translation>
    </message>
</context>
<context>
    <name>RectificationsWidget</name>
    <message>
        <location filename="../../ui/rectifications.py" line="84" />
        <source>Open</source>
        <translation>待整改</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="85" />
        <source>In progress</source>
        <translation>整改中</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="86" />
        <source>Reported fixed</source>
        <translation>已报整改</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="87" />
        <source>Extension requested</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="88" />
        <source>Verified</source>
        <translation>已验收</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="89" />
        <source>Closed</source>
        <translation>已销号</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="90" />
        <source>Reopened</source>
        <translation>重新整改</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="122" />
        <source>Add after-photos</source>
        <translation>添加整改后照片</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="123" />
        <source>Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff)</source>
        <translation>照片 (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="312" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="313" />
        <source>Not yet verified</source>
        <translation>未验收</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="319" />
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="321" />
        <source>Search problem, area, department, owner…</source>
        <translation>搜索问题、地点、科室、责任人…</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="334" />
        <location filename="../../ui/rectifications.py" line="484" />
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="336" />
        <location filename="../../ui/rectifications.py" line="480" />
        <source>Department:</source>
        <translation>责任科室：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="387" />
        <source>Responsible department</source>
        <translation>责任科室</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="392" />
        <source>Person responsible</source>
        <translation>责任人</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="401" />
        <source>What will be done to fix it</source>
        <translation>拟采取的整改措施</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="416" />
        <source>Note or reason for the next step</source>
        <translation>下一步的说明或原因</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="435" />
        <source>Edit problem…</source>
        <translation>修改问题…</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="438" />
        <source>Delete problem…</source>
        <translation>删除问题…</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="441" />
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="485" />
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="464" />
        <source>Add after-photos…</source>
        <translation>添加整改后照片…</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="473" />
        <location filename="../../ui/rectifications.py" line="996" />
        <source>No after-photo yet.</source>
        <translation>尚无整改后照片。</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="481" />
        <source>Owner:</source>
        <translation>责任人：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="482" />
        <source>Deadline:</source>
        <translation>整改期限：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="483" />
        <source>Measures:</source>
        <translation>整改措施：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="506" />
        <source>History</source>
        <translation>状态记录</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="507" />
        <location filename="../../ui/rectifications.py" line="970" />
        <location filename="../../ui/rectifications.py" line="999" />
        <source>After-photos</source>
        <translation>整改后照片</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="508" />
        <source>Problem photos</source>
        <translation>问题照片</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="532" />
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="533" />
        <source>(No department)</source>
        <translation>（未指定科室）</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="564" />
        <source>%1 of %2</source>
        <translation>%1 / %2 条</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="566" />
        <source>%1 items</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="624" />
        <source>Select a problem in the list to edit its rectification.</source>
        <translation>请在列表中选择一个问题，编辑其整改信息。</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="639" />
        <source>No. %1</source>
        <translation>第 %1 号</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="693" />
        <source>the measures taken</source>
        <translation>已采取的整改措施</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="694" />
        <source>an after-photo or a verification note</source>
        <translation>整改后照片或验收说明</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="695" />
        <source>a reason (in the note)</source>
        <translation>原因（填在说明中）</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="696" />
        <source>the new deadline</source>
        <translation>新的整改期限</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="700" />
        <source>Needs %1</source>
        <translation>需要：%1</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="716" />
        <source>(deadline %1)</source>
        <translation>（期限 %1）</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="738" />
        <source>The change was not saved</source>
        <translation>修改未保存</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="743" />
        <location filename="../../ui/rectifications.py" line="859" />
        <source>Saved at %1</source>
        <translation>已于 %1 保存</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="768" />
        <source>Changed elsewhere after you opened it; the newer version is shown. What you typed is kept in the fields: check it and save it again.</source>
        <translation>您打开后，这条整改记录已在别处被修改，现显示最新内容。您输入的文字仍保留在各输入框中，请核对后再保存。</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="773" />
        <source>The newer version is now shown. Nothing you typed is lost: check it and change it again if needed.</source>
        <translation>现在显示的是最新内容。您输入的文字没有丢失：请核对，如有需要再修改一次。</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="774" />
        <source>Changed elsewhere</source>
        <translation>已在别处修改</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="820" />
        <source>Reason (required):</source>
        <translation>原因（必填）：</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="826" />
        <source>What did you see when checking the fix? (Or add an after-photo first.)</source>
        <translation>复查时看到的情况？（也可先添加整改后照片。）</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="851" />
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="905" />
        <source>Delete problem No. %1 and its rectification?</source>
        <translation>删除第 %1 号问题及其整改记录？</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="906" />
        <source>Delete problem</source>
        <translation>删除问题</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="911" />
        <source>The problem was not deleted</source>
        <translation>问题未删除</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="915" />
        <source>Undo delete of No. %1</source>
        <translation>撤销删除第 %1 号</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="926" />
        <source>The problem was not restored</source>
        <translation>问题未能恢复</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="972" />
        <source>Importing after-photos…</source>
        <translation>正在导入整改后照片…</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="971" />
        <source>Cannot import the after-photos</source>
        <translation>无法导入整改后照片</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="996" />
        <source>%1 after-photos</source>
        <translation>整改后照片 %1 张</translation>
    </message>
    <message>
        <location filename="../../ui/rectifications.py" line="1002" />
        <source>Cannot show the after-photos</source>
        <translation>无法显示整改后照片</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/reports_dialog.py" line="357" />
        <location filename="../../ui/reports_dialog.py" line="713" />
        <source>Reports</source>
        <translation>生成报告</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="386" />
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="388" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="415" />
        <source>Report</source>
        <translation>报告类型</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="421" />
        <source>Rectification list</source>
        <translation>整改清单</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="422" />
        <source>One visit's problems: who fixes what by when, with photos and basis.</source>
        <translation>一次体验发现的问题：由谁、在何时之前整改什么，附照片和依据。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="424" />
        <source>Visit report</source>
        <translation>体验报告</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="424" />
        <source>Scores, every answer, waiting times and floor plans of one visit.</source>
        <translation>一次体验的得分、全部作答、等候时间和平面图。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="426" />
        <source>Follow-up report</source>
        <translation>复查报告</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="427" />
        <source>Every rectification of an institution, overdue first, with before and after photos.</source>
        <translation>一家医疗机构的全部整改事项，逾期的在前，附整改前后照片。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="430" />
        <source>Inspection summary</source>
        <translation>督查汇总</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="431" />
        <source>Institutions side by side: ranking, frequent problems, monthly trend.</source>
        <translation>多家医疗机构对比：排名、常见问题、月度趋势。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="457" />
        <source>What to include</source>
        <translation>报告内容</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="469" />
        <source>Only items not yet verified</source>
        <translation>只含未验收的问题</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="470" />
        <source>One section per department (each starts on a new page)</source>
        <translation>按科室分节（每个科室另起一页）</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="471" />
        <source>Landscape table (one row per problem)</source>
        <translation>横向表格（每个问题一行）</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="490" />
        <source>All</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="491" />
        <source>None</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="505" />
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="507" />
        <source>To</source>
        <translation>截止</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="521" />
        <source>Institution:</source>
        <translation>医疗机构：</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="522" />
        <source>Visit:</source>
        <translation>体验记录：</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="523" />
        <source>Options:</source>
        <translation>选项：</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="524" />
        <source>Institutions:</source>
        <translation>医疗机构：</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="525" />
        <source>Visit dates:</source>
        <translation>体验日期：</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="543" />
        <source>Save to</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="548" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="587" />
        <source>self experience</source>
        <translation>院内自查</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="587" />
        <source>bureau inspection</source>
        <translation>上级督查</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="636" />
        <source>Save report as</source>
        <translation>报告另存为</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="636" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="659" />
        <source>Choose a visit first.</source>
        <translation>请先选择体验记录。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="659" />
        <source>This institution may have no visit yet.</source>
        <translation>该医疗机构可能还没有体验记录。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="673" />
        <source>Choose an institution first.</source>
        <translation>请先选择医疗机构。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="677" />
        <source>Choose at least one institution for the summary.</source>
        <translation>督查汇总至少需要选择一家医疗机构。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="680" />
        <source>The start date is after the end date.</source>
        <translation>起始日期晚于截止日期。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="701" />
        <location filename="../../ui/reports_dialog.py" line="714" />
        <location filename="../../ui/reports_dialog.py" line="764" />
        <source>Cannot generate the report</source>
        <translation>无法生成报告</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="712" />
        <source>Generating the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="706" />
        <source>Generating %1…</source>
        <translation>正在生成 %1…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="733" />
        <source>Written %1 (%2 pages).</source>
        <translation>已生成 %1（共 %2 页）。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="759" />
        <source>Cancelled; no file was written.</source>
        <translation>已取消，未生成文件。</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="763" />
        <source>The report was not written.</source>
        <translation>报告未生成。</translation>
    </message>
</context>
<context>
    <name>RosterDialog</name>
    <message>
        <location filename="../../ui/roster_dialog.py" line="122" />
        <source>Leadership roster</source>
        <translation>领导班子</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="125" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="125" />
        <source>Role</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="125" />
        <source>In office</source>
        <translation>任职起止</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="131" />
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="134" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="136" />
        <source>Take off the roster</source>
        <translation>移出领导班子</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="144" />
        <source>A leader who left office keeps the months served: set the end date rather than taking them off.</source>
        <translation>已离任的领导请填写任职结束日期（保留其在任月份的记录），而不是移出领导班子。</translation>
    </message>
    <message>
        <location filename="../../ui/roster_dialog.py" line="158" />
        <source>in office</source>
        <translation>在任</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="36" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="50" />
        <source>Self experience (院内自查)</source>
        <translation>院内自查</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="51" />
        <source>Bureau inspection (上级督查)</source>
        <translation>上级督查</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="55" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="67" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="68" />
        <source>Inspector name</source>
        <translation>检查人姓名</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="69" />
        <source>Default visit mode</source>
        <translation>默认体验方式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="70" />
        <location filename="../../ui/settings_dialog.py" line="106" />
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="71" />
        <source>Stored photo size (long side)</source>
        <translation>照片保存尺寸（长边）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="75" />
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="77" />
        <source>Restore selected…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="90" />
        <source>Backups (made automatically once a day; the last 7 are kept)</source>
        <translation>备份（每天自动备份一次，保留最近 7 份）</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="115" />
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="118" />
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="118" />
        <source>Backup written: %1</source>
        <translation>已备份到：%1</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="123" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="123" />
        <source>Select a backup first.</source>
        <translation>请先选择一份备份。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="142" />
        <source>Settings not saved</source>
        <translation>设置未保存</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../ui/help.py" line="63" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="66" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../ui/help.py" line="66" />
        <source>What it does</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>SourcePassageDialog</name>
    <message>
        <location filename="../../ui/dialogs.py" line="404" />
        <source>Clause</source>
        <translation>条款</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs.py" line="417" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="81" />
        <source>Sync and packages</source>
        <translation>同步与数据包</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="86" />
        <location filename="../../ui/sync_dialogs.py" line="153" />
        <source>Export package</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="87" />
        <location filename="../../ui/sync_dialogs.py" line="243" />
        <location filename="../../ui/sync_dialogs.py" line="381" />
        <source>Import package</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="88" />
        <location filename="../../ui/sync_dialogs.py" line="480" />
        <source>Sync with a database</source>
        <translation>与数据库同步</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="91" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="118" />
        <source>Everything on this computer</source>
        <translation>本机全部数据</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="123" />
        <source>Only what changed since</source>
        <translation>只导出此日期以来的变动</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="131" />
        <source>visit-data</source>
        <translation>体验数据</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="133" />
        <location filename="../../ui/sync_dialogs.py" line="189" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="138" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="144" />
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="146" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="153" />
        <location filename="../../ui/sync_dialogs.py" line="243" />
        <source>Packages (*.auditpkg)</source>
        <translation>数据包 (*.auditpkg)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="173" />
        <source>Written %1: %2 visits, %3 photo files, %4 MB.</source>
        <translation>已写入 %1：体验记录 %2 次，照片文件 %3 个，共 %4 MB。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="180" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="188" />
        <source>A .auditpkg file from another laptop</source>
        <translation>来自另一台电脑的 .auditpkg 数据包</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="191" />
        <source>Check what it changes</source>
        <translation>检查将发生的变动</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="198" />
        <location filename="../../ui/sync_dialogs.py" line="321" />
        <source>Nothing is changed until you press Import.</source>
        <translation>按“导入”之前不会更改任何数据。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="215" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="229" />
        <source>Records</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="229" />
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="229" />
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="229" />
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="346" />
        <source>From %1 (app %2), made %3: %4 changes, %5 conflicts, %6 new photo files.</source>
        <translation>来自 %1（软件版本 %2），生成于 %3：%4 处变动，%5 处冲突，%6 个新照片文件。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="356" />
        <source>Everything in it is already here.</source>
        <translation>其中的数据本机都已有。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="361" />
        <source>Checking the package…</source>
        <translation>正在检查数据包…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="392" />
        <source>Imported: %1 changes, %2 conflicts recorded.</source>
        <translation>已导入：%1 处变动，记录冲突 %2 处。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="399" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="413" />
        <source>Choose a folder or file…</source>
        <translation>选择文件夹或文件…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="446" />
        <source>Another data folder or SQLite file (a USB stick, a network share) or the bureau's PostgreSQL server. Changes go both ways; conflicting edits are kept with both values.</source>
        <translation>另一个数据文件夹或 SQLite 文件（U 盘、共享文件夹），或督查部门的 PostgreSQL 服务器。变动双向同步；相互冲突的修改会保留双方的值。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="451" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="453" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="465" />
        <source>Into this computer</source>
        <translation>同步到本机</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="465" />
        <source>Into the other database</source>
        <translation>同步到对方</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="563" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="563" />
        <source>Enter a folder, a file or a server address first.</source>
        <translation>请先填写文件夹、文件或服务器地址。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="574" />
        <source>Would bring in %1 and send %2 changes; %3 conflicts.</source>
        <translation>将从对方取得 %1 处、发送 %2 处变动；%3 处冲突。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="575" />
        <source>Brought in %1 and sent %2 changes; %3 conflicts recorded.</source>
        <translation>已从对方取得 %1 处、发送 %2 处变动；记录冲突 %3 处。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="583" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="203" />
        <source>Trust this signer</source>
        <translation>信任此签名者</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="269" />
        <source>Encrypted package</source>
        <translation>加密的数据包</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="263" />
        <source>Encrypted package: choose your private key file</source>
        <translation>加密的数据包：请选择您的私钥文件</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="264" />
        <source>Key files (*.key *.pem);;All files (*)</source>
        <translation>密钥文件 (*.key *.pem);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="269" />
        <source>Passphrase of the key %1:</source>
        <translation>密钥 %1 的口令：</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="279" />
        <source>⚠ Not signed (made by an older version): where it came from cannot be checked.</source>
        <translation>⚠ 未签名（由旧版本生成）：无法核实来源。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="282" />
        <source>%1 (fingerprint %2)</source>
        <translation>%1（指纹 %2）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="282" />
        <source>unnamed device</source>
        <translation>未命名设备</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="285" />
        <source>Signed by this computer: %1.</source>
        <translation>由本机签名：%1。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="287" />
        <source>Signed by %1, in your trust list.</source>
        <translation>签名者：%1，已在信任列表中。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="290" />
        <source>⚠ Signed by %1, a signer not seen before. Check the fingerprint with the sender before you trust it.</source>
        <translation>⚠ 签名者：%1，此前从未见过。信任之前请与发送方核对指纹。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="294" />
        <source>The package was encrypted for your key.</source>
        <translation>此数据包是为您的密钥加密的。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="306" />
        <source>Cannot trust the signer</source>
        <translation>无法信任该签名者</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="334" />
        <source>Wrong passphrase</source>
        <translation>口令错误</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="377" />
        <source>This package is not signed. Import it anyway?</source>
        <translation>此数据包没有签名。仍要导入吗？</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="379" />
        <source>This package's signer is not in your trust list. Import it anyway?</source>
        <translation>此数据包的签名者不在您的信任列表中。仍要导入吗？</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="424" />
        <source>Password, if the server asks for one</source>
        <translation>密码（服务器要求时填写）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="426" />
        <source>Save the password</source>
        <translation>保存密码</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="434" />
        <source>Server password</source>
        <translation>服务器密码</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="515" />
        <source>Password: the one typed above, for this sync only (not saved).</source>
        <translation>密码：使用上面输入的密码，仅用于本次同步（不保存）。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="517" />
        <source>Password: the one typed above; after a successful sync it is saved in the system keyring.</source>
        <translation>密码：使用上面输入的密码；同步成功后保存在系统钥匙串。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="519" />
        <source>Password: the one typed above; after a successful sync it is saved in the .pgpass file %1.</source>
        <translation>密码：使用上面输入的密码；同步成功后保存在 .pgpass 文件 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="524" />
        <source>Password: saved in the system keyring.</source>
        <translation>密码保存在系统钥匙串。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="525" />
        <source>Password: from the .pgpass file %1.</source>
        <translation>密码来自 .pgpass 文件 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="526" />
        <source>Password: from the service file entry %1.</source>
        <translation>密码来自服务文件 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="527" />
        <source>Password: from the environment variable %1.</source>
        <translation>密码来自环境变量 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="528" />
        <source>Password: written in the address (it is not kept).</source>
        <translation>密码：写在地址中（不会保存）。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="529" />
        <source>Password: not saved, asked every time (type it above).</source>
        <translation>密码未保存，每次询问（请在上方输入）。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_dialogs.py" line="554" />
        <source>The password was not saved</source>
        <translation>密码未保存</translation>
    </message>
</context>
<context>
    <name>TableModels</name>
    <message>
        <location filename="../../ui/table_models.py" line="73" />
        <source>General</source>
        <translation>综合医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="74" />
        <source>TCM</source>
        <translation>中医医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="75" />
        <source>Integrated</source>
        <translation>中西医结合医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <source>Specialist</source>
        <translation>专科医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="77" />
        <source>Primary care</source>
        <translation>基层医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="79" />
        <source>Self experience</source>
        <translation>院内自查</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="79" />
        <source>Bureau inspection</source>
        <translation>上级督查</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="80" />
        <source>%1, amended</source>
        <translation>%1（已修改）</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="82" />
        <source>Level 1</source>
        <translation>一级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="83" />
        <source>Level 2</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="84" />
        <source>Level 3</source>
        <translation>三级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="91" />
        <source>Institution</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="93" />
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="94" />
        <source>Region</source>
        <translation>所在地区</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="96" />
        <location filename="../../ui/table_models.py" line="122" />
        <source>Open rectifications</source>
        <translation>待整改</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="95" />
        <source>Visit count</source>
        <translation>体验次数</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="116" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="117" />
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="118" />
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="119" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="120" />
        <source>Answered</source>
        <translation>已答</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="121" />
        <source>Conformity</source>
        <translation>符合率</translation>
    </message>
</context>
<context>
    <name>TrashDialog</name>
    <message>
        <location filename="../../ui/trash_dialog.py" line="39" />
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="42" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="42" />
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="42" />
        <location filename="../../ui/trash_dialog.py" line="76" />
        <source>Institution</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="42" />
        <source>Deleted</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="51" />
        <source>The trash is empty.</source>
        <translation>回收站是空的。</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="53" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="57" />
        <source>Deleted visits and institutions leave every list and report. Restoring brings back everything deleted with them.</source>
        <translation>已删除的体验和医疗机构不再出现在任何列表和报告中。恢复时会连同一起删除的内容一并恢复。</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="76" />
        <source>Visit</source>
        <translation>体验</translation>
    </message>
    <message>
        <location filename="../../ui/trash_dialog.py" line="106" />
        <source>Cannot restore</source>
        <translation>无法恢复</translation>
    </message>
</context>
<context>
    <name>VisitRunner</name>
    <message>
        <location filename="../../ui/visit_runner.py" line="112" />
        <source>◀ Home</source>
        <translation>◀ 首页</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="135" />
        <location filename="../../ui/visit_runner.py" line="146" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="139" />
        <location filename="../../ui/visit_runner.py" line="149" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="146" />
        <source>Undo: %1</source>
        <translation>撤销：%1</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="149" />
        <source>Redo: %1</source>
        <translation>重做：%1</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="116" />
        <source>+ Other problem</source>
        <translation>＋ 其他问题</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="120" />
        <source>Reports…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="121" />
        <location filename="../../ui/visit_runner.py" line="796" />
        <source>Finalize visit</source>
        <translation>完成体验</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="124" />
        <source>Amend (reason required)…</source>
        <translation>修改（需说明原因）…</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="158" />
        <source>Search items…</source>
        <translation>搜索检查项…</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="161" />
        <source>Unanswered / problems only</source>
        <translation>只看未答/不符合</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="214" />
        <source>Checklist item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="215" />
        <source>Journey timer</source>
        <translation>就诊计时</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="216" />
        <source>Floor plans / AED map</source>
        <translation>平面图 / AED 地图</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="217" />
        <source>Problems and rectification</source>
        <translation>问题与整改</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="350" />
        <source>photo</source>
        <translation>需拍照</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="371" />
        <source>being amended: %1</source>
        <translation>修改中：%1</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="373" />
        <source>amended</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="383" />
        <source>Problems: %1 · other: %2</source>
        <translation>不符合：%1 · 其他问题：%2</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="385" />
        <source>photos missing: %1</source>
        <translation>缺照片：%1</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="517" />
        <source>This visit is finalized, so that change was not made. Changes to a finalized visit need a reason and are logged.</source>
        <translation>本次体验已定稿，刚才的修改未生效。修改已定稿的体验需说明原因，并记入修改记录。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="527" />
        <source>This visit is finalized and read-only. Changes need a reason and are logged.</source>
        <translation>本次体验已定稿，只能查看。如需修改，请说明原因（记入修改记录）。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="619" />
        <location filename="../../ui/visit_runner.py" line="627" />
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="621" />
        <location filename="../../ui/visit_runner.py" line="629" />
        <source>The newer version is now shown. Nothing you typed is lost: check it and change it again if needed.</source>
        <translation>现在显示的是最新内容。您输入的文字没有丢失：请核对，如有需要再修改一次。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="623" />
        <location filename="../../ui/visit_runner.py" line="630" />
        <source>Changed elsewhere</source>
        <translation>已在别处修改</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="632" />
        <source>The answer was not saved</source>
        <translation>作答未保存</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="645" />
        <source>Conform</source>
        <translation>符合</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="645" />
        <source>Nonconform</source>
        <translation>不符合</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="645" />
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="663" />
        <source>“%1” is not one of the options of this item.</source>
        <translation>“%1”不是本项的可选项。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="665" />
        <source>“%1” is not a number.</source>
        <translation>“%1”不是数字。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="667" />
        <source>The value was not saved</source>
        <translation>数值未保存</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="670" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="673" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="683" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="746" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="756" />
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="791" />
        <source>After finalizing, the visit is read-only; changes need a reason and are logged.</source>
        <translation>完成后本次体验记录将只读；之后的修改须说明原因并记入修改记录。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="793" />
        <source>Unanswered items: %1. Problems without the required photo: %2.</source>
        <translation>未作答项目：%1 项。缺少必需照片的问题：%2 项。</translation>
    </message>
    <message>
        <location filename="../../ui/visit_runner.py" line="805" />
        <source>Cannot finalize</source>
        <translation>无法完成</translation>
    </message>
</context>
</TS>