<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="36" />
        <source>Creating demo data…</source>
        <translation>正在创建示例数据…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="57" />
        <source>Cannot open the data folder</source>
        <translation>无法打开数据文件夹</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="29" />
        <source>Mystery patient audit</source>
        <translation>患者体验暗访</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="42" />
        <source>Institutions</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="46" />
        <source>Visits</source>
        <translation>体验/检查记录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="55" />
        <source>All changes saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="57" />
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="75" />
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="78" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="81" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="88" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="117" />
        <source>Visits of %1</source>
        <translation>%1 的体验/检查记录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="123" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="124" />
        <source>Mystery patient audit %1</source>
        <translation>患者体验暗访 %1</translation>
    </message>
</context>
<context>
    <name>TableModels</name>
    <message>
        <location filename="../../ui/table_models.py" line="63" />
        <source>General</source>
        <translation>综合医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="64" />
        <source>TCM</source>
        <translation>中医医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="65" />
        <source>Integrated</source>
        <translation>中西医结合医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="66" />
        <source>Specialist</source>
        <translation>专科医院</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="67" />
        <source>Primary care</source>
        <translation>基层医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="69" />
        <source>Self experience</source>
        <translation>院内自查</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="69" />
        <source>Bureau inspection</source>
        <translation>上级督查</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="70" />
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="70" />
        <source>Finalized</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="71" />
        <source>Level 1</source>
        <translation>一级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="71" />
        <source>Level 2</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="71" />
        <source>Level 3</source>
        <translation>三级</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <source>Institution</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="vanished">体验/检查记录</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <location filename="../../ui/table_models.py" line="92" />
        <source>Open rectifications</source>
        <translation>待整改</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="76" />
        <source>Visit count</source>
        <translation>体验次数</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Answered</source>
        <translation>已答</translation>
    </message>
    <message>
        <location filename="../../ui/table_models.py" line="92" />
        <source>Conformity</source>
        <translation>符合率</translation>
    </message>
</context>
</TS>