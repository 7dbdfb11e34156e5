<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Access</name>
    <message>
        <source>Needs the %1 role</source>
        <translation>需要%1权限</translation>
    </message>
    <message>
        <source>Signed in: %1 (%2)</source>
        <translation>已登录：%1（%2）</translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <source>Back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Backup saved: %1</source>
        <translation>备份已保存：%1</translation>
    </message>
    <message>
        <source>Backing up the database…</source>
        <translation>正在备份数据库…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>wallet-crm backup (*.sqlite3 *.bak);;All files (*)</source>
        <translation>wallet-crm 备份 (*.sqlite3 *.bak);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Back up the database</source>
        <translation>备份数据库</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Replace the database with this backup?</source>
        <translation>用这个备份替换当前数据库吗？</translation>
    </message>
    <message>
        <source>Backup: %1
Database: %2

Everything written since the backup was made is replaced. The current database is kept beside it as a .bak file.</source>
        <translation>备份：%1
数据库：%2

备份之后写入的所有内容都会被替换。当前数据库会作为 .bak 文件保留在同一文件夹中。</translation>
    </message>
    <message>
        <source>Other work is still running (an import, an export, a backup…): restore when it has finished.</source>
        <translation>还有其他工作在进行（导入、导出或备份…）：请等它完成后再恢复。</translation>
    </message>
    <message>
        <source>The previous database is kept as %1.</source>
        <translation>原来的数据库已保留为 %1。</translation>
    </message>
    <message>
        <source>Restored from %1.</source>
        <translation>已从 %1 恢复。</translation>
    </message>
    <message>
        <source>Restoring the database…</source>
        <translation>正在恢复数据库…</translation>
    </message>
    <message>
        <source>Daily backup saved: %1</source>
        <translation>每日备份已保存：%1</translation>
    </message>
    <message>
        <source>The daily backup failed: %1</source>
        <translation>每日备份失败：%1</translation>
    </message>
    <message>
        <source>Daily backup</source>
        <translation>每日备份</translation>
    </message>
</context>
<context>
    <name>BackupSettingsPanel</name>
    <message>
        <source>Folder for the daily backups</source>
        <translation>每日备份的文件夹</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>&amp;Change…</source>
        <translation>更改(&amp;C)…</translation>
    </message>
    <message>
        <source>Use the &amp;default</source>
        <translation>使用默认(&amp;D)</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>A copy of the database is made at the first start of each day. The %1 newest daily copies and one copy from each of the %2 weeks before them are kept.</source>
        <translation>每天第一次启动时会备份一次数据库。保留最近 %1 天的每日备份，以及此前 %2 周中每周一份。</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>No customer selected</source>
        <translation>尚未选择客户</translation>
    </message>
    <message>
        <source>Show number</source>
        <translation>显示号码</translation>
    </message>
    <message>
        <source>Showing the full number is recorded</source>
        <translation>显示完整号码会被记录</translation>
    </message>
    <message>
        <source>Customer timeline…</source>
        <translation>客户时间线…</translation>
    </message>
    <message>
        <source>Call back at</source>
        <translation>预约回电</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Save and next (Ctrl+Shift+Enter)</source>
        <translation>保存并下一位 (Ctrl+Shift+Enter)</translation>
    </message>
    <message>
        <source>Skip (Esc)</source>
        <translation>跳过 (Esc)</translation>
    </message>
    <message>
        <source>Give this customer back to the queue and take the next one</source>
        <translation>把这位客户放回队列，接下一位</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>回访结果</translation>
    </message>
    <message>
        <source>&amp;Channel</source>
        <translation>渠道(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Result</source>
        <translation>结果(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Satisfaction (1–5)</source>
        <translation>满意度 1–5(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;NPS (0–10)</source>
        <translation>NPS 0–10(&amp;N)</translation>
    </message>
    <message>
        <source>Feedback &amp;type</source>
        <translation>反馈类型(&amp;T)</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <source>What to say</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Recent transactions and contacts</source>
        <translation>最近的交易和联系记录</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>at most %1 attempts</source>
        <translation>最多联系 %1 次</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>截止 %1</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>no phone number</source>
        <translation>没有手机号</translation>
    </message>
    <message>
        <source>Nothing yet.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <source>This task is closed (%1).</source>
        <translation>此任务已关闭（%1）。</translation>
    </message>
    <message>
        <source>Choose who is working first.</source>
        <translation>请先选择当前坐席。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saving the outcome</source>
        <translation>保存回访结果</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>{what} failed because of an unexpected error ({kind}).

The details are in the log:
{log}</source>
        <translation>{what}因意外错误（{kind}）而失败。

详细信息已写入日志：
{log}</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>An action</source>
        <translation>操作</translation>
    </message>
</context>
<context>
    <name>CustomerTimeline</name>
    <message>
        <source>Select a customer to see their timeline</source>
        <translation>选择一位客户以查看其时间线</translation>
    </message>
    <message>
        <source>&amp;Do not contact</source>
        <translation>勿扰(&amp;D)</translation>
    </message>
    <message>
        <source>Never queued again; open tasks are cancelled.</source>
        <translation>不再进入队列；未完成的任务将被取消。</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>勿扰</translation>
    </message>
    <message>
        <source>(%1 open tasks cancelled)</source>
        <translation>（已取消 %1 个未完成任务）</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Only customers with a transaction in this period</source>
        <translation>只显示在此期间有交易的客户</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Search name, customer ID or phone</source>
        <translation>搜索姓名、客户号或手机号</translation>
    </message>
    <message>
        <source>With a %1 transaction</source>
        <translation>有“%1”交易</translation>
    </message>
    <message>
        <source>Customer ID</source>
        <translation>客户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Successful amount</source>
        <translation>成功交易额</translation>
    </message>
    <message>
        <source>First transaction</source>
        <translation>首次交易</translation>
    </message>
    <message>
        <source>Last transaction</source>
        <translation>最近交易</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>客户</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>The report on screen, with its charts.</source>
        <translation>屏幕上的报告，含图表。</translation>
    </message>
    <message>
        <source>%1 rows, as the table shows them now.</source>
        <translation>共 %1 行，与表格当前显示的一致。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Include full phone numbers (this choice is recorded)</source>
        <translation>包含完整手机号（此选择会被记录）</translation>
    </message>
    <message>
        <source>Without it, numbers are masked like 138****8000.</source>
        <translation>不勾选时，手机号显示为 138****8000 的形式。</translation>
    </message>
    <message>
        <source>The file name must end in .xlsx.</source>
        <translation>文件名必须以 .xlsx 结尾。</translation>
    </message>
    <message>
        <source>That is a folder; add a file name.</source>
        <translation>这是一个文件夹，请填写文件名。</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>已导出 %1 行到 %2</translation>
    </message>
</context>
<context>
    <name>FeedbackPage</name>
    <message>
        <source>Feedback</source>
        <translation>反馈汇总</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>All reasons</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>坐席：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Weekly trend</source>
        <translation>每周趋势</translation>
    </message>
    <message>
        <source>Topics and categories</source>
        <translation>主题与类别</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Double-click or Enter: open the customer</source>
        <translation>双击或按回车：打开客户</translation>
    </message>
    <message>
        <source>All attempts</source>
        <translation>全部联系记录</translation>
    </message>
    <message>
        <source>all attempts</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Export these attempts…</source>
        <translation>导出这些记录…</translation>
    </message>
    <message>
        <source>All agents</source>
        <translation>全部坐席</translation>
    </message>
    <message>
        <source>The range ends before it starts.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Calculating…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Could not calculate</source>
        <translation>无法计算</translation>
    </message>
    <message>
        <source>Feedback report</source>
        <translation>反馈汇总</translation>
    </message>
    <message>
        <source>Before: %1</source>
        <translation>上期 %1</translation>
    </message>
    <message>
        <source>n=%1</source>
        <translation>%1 份</translation>
    </message>
    <message>
        <source>Overdue %1 · free %2</source>
        <translation>逾期 %1 · 未分配 %2</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>%1 (before: %2)</source>
        <translation>%1（上期 %2）</translation>
    </message>
    <message>
        <source>This period %1, the period before %2; the queue as of %3.</source>
        <translation>本期 %1，上期 %2；队列为 %3 的状态。</translation>
    </message>
    <message>
        <source>No attempts in this period</source>
        <translation>本期没有联系记录</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>提及次数</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>其中投诉</translation>
    </message>
    <message>
        <source>Click (or Enter) to list the attempts behind it.</source>
        <translation>点击（或按回车）查看对应的联系记录。</translation>
    </message>
    <message>
        <source>Click (or Enter) to open the follow-up queue.</source>
        <translation>点击（或按回车）打开回访队列。</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>联系次数</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>接通</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>解决</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Attempts per task</source>
        <translation>每任务联系次数</translation>
    </message>
    <message>
        <source>week %1</source>
        <translation>%1 这一周</translation>
    </message>
    <message>
        <source>Attempts: %1</source>
        <translation>联系记录：%1</translation>
    </message>
    <message>
        <source>Attempts: %1 (%2)</source>
        <translation>联系记录：%1（%2 条）</translation>
    </message>
    <message>
        <source>Listing attempts</source>
        <translation>列出联系记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>feedback-report</source>
        <translation>反馈汇总</translation>
    </message>
    <message>
        <source>attempts</source>
        <translation>联系记录</translation>
    </message>
</context>
<context>
    <name>FollowupSettingsPanel</name>
    <message>
        <source>Follow-up rules</source>
        <translation>回访规则</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Due within (hours)</source>
        <translation>处理时限（小时）</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Contact policy</source>
        <translation>联系策略</translation>
    </message>
    <message>
        <source>Calling hours</source>
        <translation>呼叫时段</translation>
    </message>
    <message>
        <source>Attempts per task at most</source>
        <translation>每个任务最多联系次数</translation>
    </message>
    <message>
        <source>Not again within (days) after reaching a customer</source>
        <translation>联系上客户后多少天内不再回访</translation>
    </message>
    <message>
        <source>Rules look back (days)</source>
        <translation>规则回看天数</translation>
    </message>
    <message>
        <source>Call scripts and topics</source>
        <translation>话术与反馈主题</translation>
    </message>
    <message>
        <source>Placeholders: {name} {agent} {time} {amount} {remark}</source>
        <translation>可用占位符：{name} {agent} {time} {amount} {remark}</translation>
    </message>
    <message>
        <source>Script for</source>
        <translation>话术适用于</translation>
    </message>
    <message>
        <source>Feedback topics (separated by 、)</source>
        <translation>反馈主题（用、分隔）</translation>
    </message>
    <message>
        <source>Save follow-up settings</source>
        <translation>保存回访设置</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>New agent&apos;s name</source>
        <translation>新坐席姓名</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Deactivate / reactivate</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Saved. The next queue build uses these settings.</source>
        <translation>已保存。下次重建队列时使用这些设置。</translation>
    </message>
    <message>
        <source>Saving the follow-up settings</source>
        <translation>保存回访设置</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1（已停用）</translation>
    </message>
    <message>
        <source>Add agent</source>
        <translation>添加坐席</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Drop Excel (.xlsx, .xls) or CSV transaction exports here, or</source>
        <translation>把 Excel（.xlsx、.xls）或 CSV 交易明细拖放到这里，或者</translation>
    </message>
    <message>
        <source>Import history</source>
        <translation>导入记录</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Imported at</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>New customers</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Undo selected import…</source>
        <translation>撤销所选导入…</translation>
    </message>
    <message>
        <source>Undone %1</source>
        <translation>已于 %1 撤销</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Undo import</source>
        <translation>撤销导入</translation>
    </message>
    <message>
        <source>Select an import in the history first.</source>
        <translation>请先在导入记录中选择一次导入。</translation>
    </message>
    <message>
        <source>Remove the %1 transactions of batch %2 (%3), and the customers only it created?</source>
        <translation>删除批次 %2（%3）的 %1 笔交易，以及仅由该批次创建的客户？</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Header row</source>
        <translation>表头行</translation>
    </message>
    <message>
        <source>The row (as Excel numbers it) that holds the column titles</source>
        <translation>列标题所在的行（按 Excel 的行号）</translation>
    </message>
    <message>
        <source>Date order</source>
        <translation>日期顺序</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>Day first (31/12/2026)</source>
        <translation>日在前（31/12/2026）</translation>
    </message>
    <message>
        <source>Month first (12/31/2026)</source>
        <translation>月在前（12/31/2026）</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>First values</source>
        <translation>前几行的值</translation>
    </message>
    <message>
        <source>Imports as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Check the rows</source>
        <translation>检查数据</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>Header row:</source>
        <translation>表头行：</translation>
    </message>
    <message>
        <source>Dates like 03/04/2026:</source>
        <translation>03/04/2026 这样的日期：</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>读取 %1</translation>
    </message>
    <message>
        <source>Header row %1, as you chose it.</source>
        <translation>表头在第 %1 行（您选择的）。</translation>
    </message>
    <message>
        <source>No header row recognised; row %1 is shown. Choose the row that holds the column titles.</source>
        <translation>没有识别出表头，现显示第 %1 行。请选择列标题所在的行。</translation>
    </message>
    <message>
        <source>Header found in row %1; choose another row if it is wrong.</source>
        <translation>表头位于第 %1 行；如不对，请选择其他行。</translation>
    </message>
    <message>
        <source>Recognised as: any table. Check what each column imports as.</source>
        <translation>识别为：通用表格。请核对每一列导入为什么。</translation>
    </message>
    <message>
        <source>Recognised as: your profile “%1”.</source>
        <translation>识别为：您保存的配置“%1”。</translation>
    </message>
    <message>
        <source>Recognised as: %1</source>
        <translation>识别为：%1</translation>
    </message>
    <message>
        <source>%1 names no customer: no row has any of %2, so there is nobody to follow up. Nothing was imported.

Go back to the columns and choose the column that says who the customer is.</source>
        <translation>%1 中没有客户信息：没有任何一行带有以下任一项：%2，因此没有可回访的人。没有导入任何数据。

请返回列对应页面，选择说明客户是谁的那一列。</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>%1 (or %2 and %3)</source>
        <translation>%1（或%2和%3）</translation>
    </message>
    <message>
        <source>Choose a column for: %1</source>
        <translation>请为以下字段选择列：%1</translation>
    </message>
    <message>
        <source>No column says who the customer is (%1): the import will be refused, as there would be nobody to follow up.</source>
        <translation>没有哪一列说明客户是谁（%1）：导入会被拒绝，因为没有可回访的人。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>These status or direction words are new. Choose what each one means: the rows are checked again once every word has a meaning, and the meanings are kept for files like this one.</source>
        <translation>以下状态或收支词语是新的。请为每个词选择含义：每个词都选好后会重新检查数据，这些含义也会保存下来，用于同样格式的文件。</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词语</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Example rows</source>
        <translation>示例行号</translation>
    </message>
    <message>
        <source>Means</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Save rejected rows as .xlsx…</source>
        <translation>将被拒绝的行另存为 .xlsx…</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Checking the rows</source>
        <translation>检查数据</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：没有写入任何数据。</translation>
    </message>
    <message>
        <source>Some status or direction words are new, so nothing was imported. Choose what each one means under “Words to map”, then import again.</source>
        <translation>有些状态或收支词语是新的，因此没有导入任何数据。请在“待对应的词”中为每个词选择含义，然后再次导入。</translation>
    </message>
    <message>
        <source>What “%1” means</source>
        <translation>“%1”的含义</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Rejected rows (%1)</source>
        <translation>被拒绝的行 (%1)</translation>
    </message>
    <message>
        <source>Warnings (%1)</source>
        <translation>提醒 (%1)</translation>
    </message>
    <message>
        <source>Words to map (%1)</source>
        <translation>待对应的词 (%1)</translation>
    </message>
    <message>
        <source>Words mapped (%1)</source>
        <translation>已对应的词 (%1)</translation>
    </message>
    <message>
        <source>Saved %1 rejected rows to %2</source>
        <translation>已将 %1 行被拒绝的数据保存到 %2</translation>
    </message>
    <message>
        <source>Saving rejected rows</source>
        <translation>保存被拒绝的行</translation>
    </message>
    <message>
        <source>Import another file</source>
        <translation>导入其他文件</translation>
    </message>
    <message>
        <source>Show the transactions</source>
        <translation>查看交易</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Batch %1: it can be undone from the import history.</source>
        <translation>批次 %1：可以在导入记录中撤销。</translation>
    </message>
    <message>
        <source>Your corrections are kept as the profile “%1” for files like this one.</source>
        <translation>您的更正已保存为配置“%1”，用于同样格式的文件。</translation>
    </message>
    <message>
        <source>Next file (%1 left)</source>
        <translation>下一个文件（还剩 %1 个）</translation>
    </message>
</context>
<context>
    <name>ImportSettingsPanel</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>An IANA name such as Asia/Shanghai, or an offset such as UTC+8</source>
        <translation>IANA 时区名（如 Asia/Shanghai），或时差（如 UTC+8）</translation>
    </message>
    <message>
        <source>Save import settings</source>
        <translation>保存导入设置</translation>
    </message>
    <message>
        <source>Times a file writes in another zone (a UTC column, PayPal&apos;s PDT) are converted to this one.</source>
        <translation>文件中按其他时区写的时间（UTC 列、PayPal 的 PDT 等）会换算到此时区。</translation>
    </message>
    <message>
        <source>An amount above this (in yuan, or the major unit of its currency) goes in with a warning.</source>
        <translation>金额超过此值（以元或该币种的主单位计）时照样导入，但会给出提醒。</translation>
    </message>
    <message>
        <source>Operator&apos;s time zone</source>
        <translation>本机构所在时区</translation>
    </message>
    <message>
        <source>Plausible amount at most</source>
        <translation>合理金额上限</translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation>导入设置</translation>
    </message>
    <message>
        <source>Unknown time zone “%1”: use a name like Asia/Shanghai, or UTC+8.</source>
        <translation>无法识别的时区“%1”：请使用 Asia/Shanghai 这样的名称，或 UTC+8。</translation>
    </message>
    <message>
        <source>Saved. The next import uses these settings.</source>
        <translation>已保存。下次导入时使用这些设置。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>消费</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转账</translation>
    </message>
    <message>
        <source>Top-up</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Withdrawal</source>
        <translation>提现</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Money in</source>
        <translation>收入</translation>
    </message>
    <message>
        <source>Money out</source>
        <translation>支出</translation>
    </message>
    <message>
        <source>No money moved</source>
        <translation>不计收支</translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <source>Customer ID</source>
        <translation>客户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Refund ID</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <source>Time of day</source>
        <translation>时刻（仅时间）</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Platform user ID</source>
        <translation>平台用户标识</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Counterparty</source>
        <translation>交易对方</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Amount in</source>
        <translation>收入金额</translation>
    </message>
    <message>
        <source>Amount out</source>
        <translation>支出金额</translation>
    </message>
    <message>
        <source>Direction (in/out)</source>
        <translation>收/支</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商户</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Locked — wallet-crm</source>
        <translation>已锁定 — wallet-crm</translation>
    </message>
    <message>
        <source>Sign in — wallet-crm</source>
        <translation>登录 — wallet-crm</translation>
    </message>
    <message>
        <source>wallet-crm is locked</source>
        <translation>wallet-crm 已锁定</translation>
    </message>
    <message>
        <source>Sign in to wallet-crm</source>
        <translation>登录 wallet-crm</translation>
    </message>
    <message>
        <source>%1 (%2) is signed in. Type the password to go on: nothing typed on the pages is lost.</source>
        <translation>当前登录：%1（%2）。输入密码即可继续，页面上已填写的内容不会丢失。</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>登录提示</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Another person can sign in; what was typed on the pages is dropped</source>
        <translation>换其他人登录；页面上已填写的内容将被丢弃</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Follow-up queue</source>
        <translation>回访队列</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈汇总</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open database…</source>
        <translation>打开数据库(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;demo data</source>
        <translation>打开演示数据(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Back up now…</source>
        <translation>立即备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>立即锁定(&amp;L)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About wallet-crm</source>
        <translation>关于 wallet-crm(&amp;A)</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Counting</source>
        <translation>统计数量</translation>
    </message>
    <message>
        <source>Customers %1 · Transactions %2</source>
        <translation>客户 %1 · 交易 %2</translation>
    </message>
    <message>
        <source>Opening the database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>The pages stay hidden until the password is typed.</source>
        <translation>输入密码之前，页面内容保持隐藏。</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>已退出登录</translation>
    </message>
    <message>
        <source>Sign in to go on.</source>
        <translation>请登录后继续。</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>wallet-crm database (*.sqlite3);;All files (*)</source>
        <translation>wallet-crm 数据库 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Writing demo data…</source>
        <translation>正在生成演示数据…</translation>
    </message>
    <message>
        <source>Writing demo data</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <source>About wallet-crm</source>
        <translation>关于 wallet-crm</translation>
    </message>
    <message>
        <source>wallet-crm %1
Follow-up (回访) CRM for digital-wallet operators. Works offline.</source>
        <translation>wallet-crm %1
面向数字钱包运营团队的客户回访系统，离线工作。</translation>
    </message>
</context>
<context>
    <name>QProgressDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Follow-up queue</source>
        <translation>回访队列</translation>
    </message>
    <message>
        <source>Who is working</source>
        <translation>当前坐席</translation>
    </message>
    <message>
        <source>Add agent…</source>
        <translation>添加坐席…</translation>
    </message>
    <message>
        <source>Next customer (F5)</source>
        <translation>下一位客户 (F5)</translation>
    </message>
    <message>
        <source>Next customer</source>
        <translation>下一位客户</translation>
    </message>
    <message>
        <source>Rebuild queue</source>
        <translation>重建队列</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>All assignees</source>
        <translation>全部负责人</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <source>&amp;Mine only</source>
        <translation>只看我的(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Overdue only</source>
        <translation>只看逾期(&amp;O)</translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation>分配给</translation>
    </message>
    <message>
        <source>Assign selected</source>
        <translation>分配所选</translation>
    </message>
    <message>
        <source>Selected:</source>
        <translation>所选任务：</translation>
    </message>
    <message>
        <source>Share out evenly</source>
        <translation>平均分配</translation>
    </message>
    <message>
        <source>Assign the selected tasks round-robin to every active agent</source>
        <translation>把所选任务轮流分配给所有在岗坐席</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>无电话</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>联系次数</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Name of the agent:</source>
        <translation>坐席姓名：</translation>
    </message>
    <message>
        <source>Who is working?</source>
        <translation>谁在值班？</translation>
    </message>
    <message>
        <source>Calls are logged under the agent you choose:</source>
        <translation>联系记录将记在所选坐席名下：</translation>
    </message>
    <message>
        <source>Choose who is working…</source>
        <translation>请选择坐席…</translation>
    </message>
    <message>
        <source>&amp;Working:</source>
        <translation>当前坐席(&amp;W)：</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Export what the table shows (Ctrl+E)</source>
        <translation>导出表格当前显示的内容 (Ctrl+E)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>%1 tasks</source>
        <translation>共 %1 个任务</translation>
    </message>
    <message>
        <source>Loading the queue</source>
        <translation>加载回访队列</translation>
    </message>
    <message>
        <source>All reasons (%1)</source>
        <translation>全部原因（%1）</translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation>（不分配）</translation>
    </message>
    <message>
        <source>Add the agents of your team first.</source>
        <translation>请先添加团队的坐席。</translation>
    </message>
    <message>
        <source>Signed in as %1: calls are logged under this name.</source>
        <translation>已以 %1 登录：回访记录在此名下。</translation>
    </message>
    <message>
        <source>Choose who is working before you call.</source>
        <translation>拨打前请先选择当前坐席。</translation>
    </message>
    <message>
        <source>Add agent</source>
        <translation>添加坐席</translation>
    </message>
    <message>
        <source>Choose who is working first.</source>
        <translation>请先选择当前坐席。</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Choose who is working to log a call.</source>
        <translation>选择当前坐席后才能记录联系结果。</translation>
    </message>
    <message>
        <source>Opening the task</source>
        <translation>打开任务</translation>
    </message>
    <message>
        <source>Being worked by %1 until %2.</source>
        <translation>正在由 %1 处理（保留到 %2）。</translation>
    </message>
    <message>
        <source>Taking the next customer…</source>
        <translation>正在取下一位客户…</translation>
    </message>
    <message>
        <source>Opening the task…</source>
        <translation>正在打开任务…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Assigning…</source>
        <translation>正在分配…</translation>
    </message>
    <message>
        <source>follow-up-queue</source>
        <translation>回访队列</translation>
    </message>
    <message>
        <source>Queue rebuilt: %1 new, %2 updated, %3 closed, %4 open.</source>
        <translation>队列已重建：新增 %1，更新 %2，关闭 %3，待处理 %4。</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>近 90 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load</source>
        <translation>加载失败</translation>
    </message>
    <message>
        <source>Loading the table</source>
        <translation>加载表格</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Schema version</source>
        <translation>结构版本</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2). The follow-up rules, imports, users, backups and the team database are changed by an admin.</source>
        <translation>当前登录：%1（%2）。回访规则、导入、用户、备份和团队数据库由管理员设置。</translation>
    </message>
    <message>
        <source>Saved. The new language is used from the next start.</source>
        <translation>已保存。下次启动时使用新的语言。</translation>
    </message>
</context>
<context>
    <name>TeamDatabasePanel</name>
    <message>
        <source>Team database (PostgreSQL)</source>
        <translation>团队数据库（PostgreSQL）</translation>
    </message>
    <message>
        <source>Only for the test, never saved: keep it in PostgreSQL&apos;s password file (~/.pgpass).</source>
        <translation>只用于测试，不会保存：请保存在 PostgreSQL 的密码文件（~/.pgpass）中。</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Use on this PC</source>
        <translation>本机使用</translation>
    </message>
    <message>
        <source>Use the local file</source>
        <translation>使用本机文件</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Testing the team database</source>
        <translation>测试团队数据库</translation>
    </message>
    <message>
        <source>an empty database: the first start creates the tables</source>
        <translation>空数据库：首次启动时会创建数据表</translation>
    </message>
    <message>
        <source>a database from a newer wallet-crm: update this PC first</source>
        <translation>来自更新版本 wallet-crm 的数据库：请先更新本机</translation>
    </message>
    <message>
        <source>wallet-crm data (schema version %1)</source>
        <translation>wallet-crm 数据（结构版本 %1）</translation>
    </message>
    <message>
        <source>Connected: PostgreSQL %1, %2.</source>
        <translation>已连接：PostgreSQL %1，%2。</translation>
    </message>
    <message>
        <source>Give the server and the database first.</source>
        <translation>请先填写服务器和数据库。</translation>
    </message>
    <message>
        <source>Saved. This PC opens the team database from the next start.</source>
        <translation>已保存。本机下次启动时打开团队数据库。</translation>
    </message>
    <message>
        <source>Saved. This PC opens its local file from the next start.</source>
        <translation>已保存。本机下次启动时打开本机数据库文件。</translation>
    </message>
    <message>
        <source>This PC uses the team database %1.</source>
        <translation>本机使用团队数据库 %1。</translation>
    </message>
    <message>
        <source>This PC uses its local database file.</source>
        <translation>本机使用本机数据库文件。</translation>
    </message>
</context>
<context>
    <name>TransactionsPage</name>
    <message>
        <source>Transactions</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Search transaction ID, name, customer ID or phone</source>
        <translation>搜索交易流水号、姓名、客户号或手机号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商户</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>transactions</source>
        <translation>交易</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Create the first admin</source>
        <translation>创建第一个管理员</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>at least %1 characters</source>
        <translation>至少 %1 个字符</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>再次输入密码(&amp;A)</translation>
    </message>
    <message>
        <source>Once there is an admin, everybody signs in with a name and password and sees what their role may use. The admin adds the others here.</source>
        <translation>有了管理员之后，每个人都要用用户名和密码登录，只看到自己角色可用的功能。其他用户由管理员在这里添加。</translation>
    </message>
    <message>
        <source>Agent: the queue and the call panel, customers and transactions. Supervisor: also import, undo, feedback, exports, assigning and rebuilding the queue. Admin: also settings, users and backups.</source>
        <translation>坐席：回访队列与通话面板、客户和交易。主管：另可导入、撤销导入、查看反馈、导出、分配任务和重建队列。管理员：另可修改设置、管理用户和备份。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Type the user&apos;s name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>A password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>Users and log-in</source>
        <translation>用户与登录</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Create the first admin…</source>
        <translation>创建第一个管理员…</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lock after idle minutes</source>
        <translation>无操作锁定分钟数</translation>
    </message>
    <message>
        <source>While users sign in, the window locks after this many minutes without keyboard or mouse input and asks for the password again (0: never). A setting of this PC.</source>
        <translation>启用登录后，键盘和鼠标无操作达到这个分钟数时窗口自动锁定，需再次输入密码（0：从不）。此设置只对这台电脑有效。</translation>
    </message>
    <message>
        <source>&amp;Lock after</source>
        <translation>无操作锁定(&amp;L)</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Nobody signs in yet: the app opens without a password and everybody may do everything. Create the first admin to turn log-in on.</source>
        <translation>目前无需登录：打开软件不要密码，每个人都能使用全部功能。创建第一个管理员即可启用登录。</translation>
    </message>
    <message>
        <source>This database has users: sign in as an admin to manage them.</source>
        <translation>这个数据库已有用户：请以管理员身份登录后管理。</translation>
    </message>
    <message>
        <source>Who signs in, and what their role lets them do. Users are also the agents who call.</source>
        <translation>可以登录的人员及其角色权限。用户同时也是进行回访的坐席。</translation>
    </message>
    <message>
        <source>%1 is the admin. From now on everybody signs in; you are signed in as %1.</source>
        <translation>%1 已成为管理员。此后每个人都需要登录；您当前以 %1 登录。</translation>
    </message>
    <message>
        <source>Added %1 (%2).</source>
        <translation>已添加 %1（%2）。</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 现在是%2。</translation>
    </message>
    <message>
        <source>The password of %1 is changed.</source>
        <translation>%1 的密码已更改。</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to wallet-crm</source>
        <translation>欢迎使用 wallet-crm</translation>
    </message>
    <message>
        <source>Follow up with your wallet customers after their transactions: win back failed payments, check in after refunds and large transfers, welcome new customers and wake dormant ones.

Everything stays on this computer. Start by importing a transaction export (Excel or CSV), or look around with demo data first.</source>
        <translation>在交易之后回访钱包客户：挽回支付失败的客户，关心退款和大额转账的客户，欢迎新客户，唤醒沉睡客户。

所有数据只保存在这台电脑上。先导入一份交易明细（Excel 或 CSV），或者先用演示数据看看。</translation>
    </message>
    <message>
        <source>Import a transaction file…</source>
        <translation>导入交易文件…</translation>
    </message>
    <message>
        <source>Open demo data</source>
        <translation>打开演示数据</translation>
    </message>
    <message>
        <source>Demo data goes into a separate database and is never mixed with yours.</source>
        <translation>演示数据保存在单独的数据库中，绝不会与您的数据混在一起。</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Choose transaction files</source>
        <translation>选择交易文件</translation>
    </message>
    <message>
        <source>Save rejected rows</source>
        <translation>保存被拒绝的行</translation>
    </message>
</context>
</TS>
