<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ecrf</source>
        <translation>关于 ecrf</translation>
    </message>
    <message>
        <source>Bundled software and its licences:</source>
        <translation>随附软件及其许可证：</translation>
    </message>
    <message>
        <source>ecrf version {0}</source>
        <translation>ecrf 版本 {0}</translation>
    </message>
    <message>
        <source>Study: {0} ({1}), definition version {2}</source>
        <translation>研究：{0}（{1}），定义版本 {2}</translation>
    </message>
    <message>
        <source>Definition fingerprint (SHA-256): {0}</source>
        <translation>研究定义指纹（SHA-256）：{0}</translation>
    </message>
    <message>
        <source>Site {0}; database: {1}</source>
        <translation>中心 {0}；数据库：{1}</translation>
    </message>
    <message>
        <source>Data folder: {0}</source>
        <translation>数据文件夹：{0}</translation>
    </message>
    <message>
        <source>Licence texts: in each component&apos;s *.dist-info/licenses folder in site-packages</source>
        <translation>许可证全文：在 site-packages 中各组件的 *.dist-info/licenses 文件夹内</translation>
    </message>
    <message>
        <source>Licence texts: {0}</source>
        <translation>许可证全文：{0}</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
</context>
<context>
    <name>AdminNotices</name>
    <message>
        <source>Import the allocation list…</source>
        <translation>导入随机分配表…</translation>
    </message>
    <message>
        <source>Make a backup…</source>
        <translation>立即备份…</translation>
    </message>
    <message>
        <source>No allocation list is imported yet, so no subject can be allocated to an arm. Import the list the sponsor sent before the first subject is allocated.</source>
        <translation>尚未导入随机分配表，因此无法为任何受试者分配组别。请在分配第一位受试者之前导入申办方提供的分配表。</translation>
    </message>
    <message>
        <source>The allocation list is used up ({0} entries): ask the sponsor how to continue.</source>
        <translation>随机分配表已用完（共 {0} 条）：请咨询申办方如何继续。</translation>
    </message>
    <message>
        <source>No backup of this site has been made yet. Make one now and keep it on a drive stored apart from this PC.</source>
        <translation>本中心尚未做过备份。请立即备份，并将备份保存在与本电脑分开存放的磁盘上。</translation>
    </message>
    <message numerus="yes">
        <source>The last backup was made %n day(s) ago ({0}). Make one at least every {1} days.</source>
        <translation>
            <numerusform>上次备份是在 %n 天前（{0}）。请至少每 {1} 天备份一次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Backup &amp;&amp; restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Data locks</source>
        <translation>数据锁定</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
</context>
<context>
    <name>AllocationListBox</name>
    <message>
        <source>Allocation list</source>
        <translation>随机分配表</translation>
    </message>
    <message>
        <source>Import the allocation list…</source>
        <translation>导入随机分配表…</translation>
    </message>
    <message>
        <source>This study does not allocate subjects to arms: no allocation list is needed.</source>
        <translation>本研究不为受试者分配组别：无需随机分配表。</translation>
    </message>
    <message>
        <source>No allocation list is imported yet: no subject can be allocated to an arm. Import the list the sponsor sent (a CSV file with the columns rand_no and arm).</source>
        <translation>尚未导入随机分配表：无法为任何受试者分配组别。请导入申办方提供的分配表（包含 rand_no 和 arm 两列的 CSV 文件）。</translation>
    </message>
    <message>
        <source>Imported: {0} entries, {1} used, {2} left. It cannot be replaced.</source>
        <translation>已导入：共 {0} 条，已用 {1} 条，剩余 {2} 条。分配表不能替换。</translation>
    </message>
    <message>
        <source>Import the allocation list</source>
        <translation>导入随机分配表</translation>
    </message>
    <message>
        <source>Allocation list imported: {0} entries from {1}.</source>
        <translation>随机分配表已导入：来自 {1} 的 {0} 条。</translation>
    </message>
    <message>
        <source>Choose the sponsor&apos;s allocation list</source>
        <translation>选择申办方的随机分配表</translation>
    </message>
    <message>
        <source>Allocation list (*.csv);;All files (*)</source>
        <translation>随机分配表 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Creating the site database…</source>
        <translation>正在创建中心数据库…</translation>
    </message>
    <message>
        <source>Making the demo study (less than half a minute)…</source>
        <translation>正在生成演示研究（不到半分钟）…</translation>
    </message>
    <message>
        <source>The study definition could not be loaded: {0}</source>
        <translation>无法加载研究定义：{0}</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
</context>
<context>
    <name>AuditBrowser</name>
    <message>
        <source>Export the audit trail as</source>
        <translation>稽查轨迹导出为</translation>
    </message>
    <message>
        <source>CSV for Excel (*.csv)</source>
        <translation>适用于 Excel 的 CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>导出为 CSV…</translation>
    </message>
    <message>
        <source>Saves the events of the filter set here, for Excel (UTF-8). The export is recorded in the audit trail.</source>
        <translation>按此处设置的筛选条件保存事件，可用 Excel 打开（UTF-8）。导出操作会记入稽查轨迹。</translation>
    </message>
    <message>
        <source>No event matches this filter.</source>
        <translation>没有符合筛选条件的事件。</translation>
    </message>
    <message>
        <source>No events yet.</source>
        <translation>尚无事件。</translation>
    </message>
    <message>
        <source>{0} of {1} events, newest first; scroll down for more.</source>
        <translation>已显示 {1} 条事件中的 {0} 条，最新的在前；向下滚动可查看更多。</translation>
    </message>
    <message>
        <source>{0} events, newest first.</source>
        <translation>共 {0} 条事件，最新的在前。</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <source>Audit trail exported</source>
        <translation>稽查轨迹已导出</translation>
    </message>
    <message>
        <source>{0} events were saved to {1}.</source>
        <translation>已将 {0} 条事件保存到 {1}。</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>导出稽查轨迹</translation>
    </message>
    <message>
        <source>Exporting the audit trail…</source>
        <translation>正在导出稽查轨迹…</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>failed-login file at no. {0}</source>
        <translation>失败登录记录文件第 {0} 号</translation>
    </message>
    <message>
        <source>Stored time (UTC)</source>
        <translation>存储时间（UTC）</translation>
    </message>
    <message>
        <source>PC&apos;s UTC offset</source>
        <translation>电脑的UTC偏移</translation>
    </message>
    <message>
        <source>Action code</source>
        <translation>操作代码</translation>
    </message>
    <message>
        <source>Role code</source>
        <translation>角色代码</translation>
    </message>
    <message>
        <source>Clock note</source>
        <translation>时钟说明</translation>
    </message>
    <message>
        <source>Stored as {0} (UTC); the clock of {1} was at {2}.</source>
        <translation>存储值：{0}（UTC）；当时 {1} 的时钟为 {2}。</translation>
    </message>
    <message>
        <source>Stored as: {0}</source>
        <translation>存储为：{0}</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
</context>
<context>
    <name>AuditNames</name>
    <message>
        <source>Account unlocked</source>
        <translation>账户已解锁</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已随机分配</translation>
    </message>
    <message>
        <source>Allocation list imported</source>
        <translation>已导入随机分配表</translation>
    </message>
    <message>
        <source>Audit trail exported</source>
        <translation>已导出稽查轨迹</translation>
    </message>
    <message>
        <source>Backup made</source>
        <translation>已备份</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Data bundle exported</source>
        <translation>已导出数据包</translation>
    </message>
    <message>
        <source>E-signature certification</source>
        <translation>电子签名认证</translation>
    </message>
    <message>
        <source>Form status changed</source>
        <translation>表单状态变更</translation>
    </message>
    <message>
        <source>Locked after inactivity</source>
        <translation>无操作自动锁定</translation>
    </message>
    <message>
        <source>Signing key certified</source>
        <translation>签名密钥已认证</translation>
    </message>
    <message>
        <source>Personal key issued</source>
        <translation>已签发个人密钥</translation>
    </message>
    <message>
        <source>Key slot strengthened</source>
        <translation>密钥槽已加强</translation>
    </message>
    <message>
        <source>Data locked</source>
        <translation>数据已锁定</translation>
    </message>
    <message>
        <source>Log entry added</source>
        <translation>添加日志条目</translation>
    </message>
    <message>
        <source>Log entry removed</source>
        <translation>删除日志条目</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Failed-login file damaged</source>
        <translation>登录失败记录文件损坏</translation>
    </message>
    <message>
        <source>Failed-login file replaced</source>
        <translation>登录失败记录文件被替换</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Participation ended</source>
        <translation>终止参与</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Password recovered</source>
        <translation>恢复密码</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Query answered</source>
        <translation>回复质疑</translation>
    </message>
    <message>
        <source>Query bundle imported</source>
        <translation>导入质疑包</translation>
    </message>
    <message>
        <source>Query closed</source>
        <translation>关闭质疑</translation>
    </message>
    <message>
        <source>Query raised</source>
        <translation>提出质疑</translation>
    </message>
    <message>
        <source>Query reopened</source>
        <translation>重新打开质疑</translation>
    </message>
    <message>
        <source>Wrong recovery code</source>
        <translation>恢复码错误</translation>
    </message>
    <message>
        <source>Recovery code set up</source>
        <translation>已设置恢复码</translation>
    </message>
    <message>
        <source>Database key changed</source>
        <translation>已更换数据库密钥</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>已恢复备份</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>角色变更</translation>
    </message>
    <message>
        <source>SDV mark changed</source>
        <translation>SDV 标记变更</translation>
    </message>
    <message>
        <source>SDV withdrawn</source>
        <translation>撤销 SDV</translation>
    </message>
    <message>
        <source>Source data verified</source>
        <translation>源数据已核查</translation>
    </message>
    <message>
        <source>Sealing started</source>
        <translation>开始封签</translation>
    </message>
    <message>
        <source>Signature broken</source>
        <translation>签名失效</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>Site signing key created</source>
        <translation>已创建中心签名密钥</translation>
    </message>
    <message>
        <source>Site created</source>
        <translation>创建中心</translation>
    </message>
    <message>
        <source>Site frozen</source>
        <translation>中心已冻结</translation>
    </message>
    <message>
        <source>Site key sealed</source>
        <translation>中心密钥已封存</translation>
    </message>
    <message>
        <source>Site locked</source>
        <translation>中心已锁定</translation>
    </message>
    <message>
        <source>Site reopened</source>
        <translation>中心已重新开放</translation>
    </message>
    <message>
        <source>Site setting changed</source>
        <translation>中心设置变更</translation>
    </message>
    <message>
        <source>Sponsor certificate registered</source>
        <translation>已登记申办方证书</translation>
    </message>
    <message>
        <source>Subject screened</source>
        <translation>受试者筛选</translation>
    </message>
    <message>
        <source>Audit trail check failed</source>
        <translation>稽查轨迹检查未通过</translation>
    </message>
    <message>
        <source>Audit trail finding acknowledged</source>
        <translation>稽查轨迹问题已确认</translation>
    </message>
    <message>
        <source>Session unlocked</source>
        <translation>会话已解锁</translation>
    </message>
    <message>
        <source>Data unlocked</source>
        <translation>数据已解锁</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>User deactivated</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Locked by the user</source>
        <translation>用户手动锁定</translation>
    </message>
    <message>
        <source>Value changed</source>
        <translation>数值修改</translation>
    </message>
    <message>
        <source>Value calculated</source>
        <translation>自动计算值</translation>
    </message>
    <message>
        <source>Visit cancelled</source>
        <translation>取消访视</translation>
    </message>
    <message>
        <source>Warning confirmed</source>
        <translation>警告已确认</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <source>open</source>
        <translation>开放</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>present</source>
        <translation>存在</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已删除</translation>
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
        <source>certified</source>
        <translation>已确认</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>Verify audit trail</source>
        <translation>核验稽查轨迹</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Checks that no event was changed, removed or inserted since it was written, that each is sealed by its user, and that every stored value follows from the trail.</source>
        <translation>检查自写入以来没有任何事件被修改、删除或插入，每条事件都有其用户的封签，且每个已存储的值都由稽查轨迹推得。</translation>
    </message>
    <message>
        <source>Record a reason…</source>
        <translation>登记原因…</translation>
    </message>
    <message>
        <source>Verifying the audit trail…</source>
        <translation>正在核验稽查轨迹…</translation>
    </message>
    <message>
        <source>Record a reason</source>
        <translation>登记原因</translation>
    </message>
</context>
<context>
    <name>AuditTrailPage</name>
    <message>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
</context>
<context>
    <name>BackupTab</name>
    <message>
        <source>ecrf backup (*.zip);;All files (*)</source>
        <translation>ecrf 备份 (*.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the backup as</source>
        <translation>备份另存为</translation>
    </message>
    <message>
        <source>Choose the backup to restore</source>
        <translation>选择要恢复的备份</translation>
    </message>
    <message>
        <source>No backup of this site has been made yet.</source>
        <translation>本中心尚未做过备份。</translation>
    </message>
    <message>
        <source>Last backup: {0} (today) by {1}, file {2}.</source>
        <translation>上次备份：{0}（今天），由 {1} 完成，文件 {2}。</translation>
    </message>
    <message numerus="yes">
        <source>Last backup: {0} (%n day(s) ago) by {1}, file {2}.</source>
        <translation>
            <numerusform>上次备份：{0}（%n 天前），由 {1} 完成，文件 {2}。</numerusform>
        </translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>A backup is an encrypted copy of the whole site database, checked before it is named. Keep it on a drive stored apart from this PC (e.g. a USB drive in a locked cupboard), and make one at least every week and before any update. It opens with the passwords valid when it was made, or with the recovery code.</source>
        <translation>备份是整个中心数据库的加密副本，命名前会先经过检查。请将备份保存在与本电脑分开存放的磁盘上（例如锁在柜子里的U盘），至少每周备份一次，每次更新软件前也要备份。打开备份需要使用备份时有效的密码或恢复码。</translation>
    </message>
    <message>
        <source>Make a backup…</source>
        <translation>立即备份…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Restoring puts a backup in place of this site&apos;s database. Everything entered after the backup was made is no longer in use (the replaced database is kept beside it). You are logged out first; then the password of a site administrator as it was when the backup was made is needed.</source>
        <translation>恢复会用备份替换本中心的数据库。备份之后录入的所有内容将不再使用（被替换的数据库会保留在旁边）。系统会先退出登录，然后需要输入备份时中心管理员的密码。</translation>
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation>恢复备份…</translation>
    </message>
    <message>
        <source>Copying and checking the database…</source>
        <translation>正在复制并检查数据库…</translation>
    </message>
    <message>
        <source>Making a backup…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup written to {0} ({1} MB, audit trail up to event {2}). It was checked before it was named.</source>
        <translation>备份已写入 {0}（{1} MB，稽查轨迹至第 {2} 条事件）。命名前已检查。</translation>
    </message>
    <message>
        <source>Backup made</source>
        <translation>备份完成</translation>
    </message>
    <message>
        <source>The last backup failed: {0}</source>
        <translation>上次备份失败：{0}</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Restore {0}?

The site&apos;s database is replaced by the backup: data entered after the backup was made will not be in the restored database (the current one is kept beside it, renamed). Everyone must be logged out. You are logged out now and asked for the password valid when the backup was made.</source>
        <translation>恢复 {0}？

中心数据库将被备份替换：备份之后录入的数据不会出现在恢复后的数据库中（当前数据库会改名保留在旁边）。所有人都必须退出登录。现在将退出您的登录，并要求输入备份时有效的密码。</translation>
    </message>
</context>
<context>
    <name>CertificatePanel</name>
    <message>
        <source>Save the site certificate as</source>
        <translation>中心证书另存为</translation>
    </message>
    <message>
        <source>Certificate (*.pem);;All files (*)</source>
        <translation>证书 (*.pem);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the fingerprint, e.g. into an e-mail to the sponsor</source>
        <translation>复制指纹，例如粘贴到发给申办方的邮件中</translation>
    </message>
    <message>
        <source>Save certificate…</source>
        <translation>保存证书…</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Save certificate</source>
        <translation>保存证书</translation>
    </message>
    <message>
        <source>The certificate was saved to
{0}

Send it to the sponsor, and read them its SHA-256 fingerprint on the phone so that they know it is this site&apos;s:
{1}</source>
        <translation>证书已保存到
{0}

请将其发送给申办方，并通过电话向对方念出其 SHA-256 指纹，以便对方确认这是本中心的证书：
{1}</translation>
    </message>
</context>
<context>
    <name>CertificationDialog</name>
    <message>
        <source>Certify your electronic signature</source>
        <translation>确认您的电子签名</translation>
    </message>
    <message>
        <source>Before your first electronic signature, {0}, please read and certify:</source>
        <translation>{0}，在您首次电子签名之前，请阅读并确认：</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <source>This is recorded once, with the time, in the audit trail.</source>
        <translation>此确认只需一次，连同时间记入稽查轨迹。</translation>
    </message>
    <message>
        <source>I certify</source>
        <translation>本人确认</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password was set by the site administrator. Choose your own password before you continue (at least 8 characters, not your username).</source>
        <translation>您的密码由中心管理员设置。请先设置您自己的密码再继续（至少 8 个字符，不能与用户名相同）。</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>The two new passwords differ; type the same password twice.</source>
        <translation>两次输入的新密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>{0} {1} on day {2} ({3}, {4})</source>
        <translation>{0} {1}，第 {2} 天（{3}，{4}）</translation>
    </message>
    <message>
        <source>Outside the expected range {0}; confirmed at entry.</source>
        <translation>超出预期范围 {0}；录入时已确认。</translation>
    </message>
    <message>
        <source>Outside the expected range {0}; not confirmed yet.</source>
        <translation>超出预期范围 {0}；尚未确认。</translation>
    </message>
    <message>
        <source>{0}  –  no data yet</source>
        <translation>{0}  –  尚无数据</translation>
    </message>
    <message>
        <source>Study day</source>
        <translation>研究天数</translation>
    </message>
</context>
<context>
    <name>ChartsWidget</name>
    <message>
        <source>Whole study</source>
        <translation>整个研究期</translation>
    </message>
    <message>
        <source>Up to Day 28</source>
        <translation>至第 28 天</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>No charts are defined for this study.</source>
        <translation>本研究未定义图表。</translation>
    </message>
    <message>
        <source>No values to chart yet. Values are placed by study day, counted from Day 0 (the allocation day), so charts start once the subject is allocated.</source>
        <translation>尚无可绘制的数值。数值按研究天数排列，从第 0 天（分组日）起算，因此受试者分组后才会有图表。</translation>
    </message>
    <message>
        <source>Horizontal axis: study day (Day 0 = allocation).</source>
        <translation>横轴：研究天数（第 0 天 = 分组日）。</translation>
    </message>
    <message>
        <source>Dashed lines: {0} on study day {1}.</source>
        <translation>虚线：{0}，研究第 {1} 天。</translation>
    </message>
    <message>
        <source>Shaded: the expected range of the form&apos;s check.</source>
        <translation>阴影：表单核查的预期范围。</translation>
    </message>
    <message>
        <source>Red ring: outside the expected range, confirmed as correct at entry.</source>
        <translation>红圈：超出预期范围，录入时已确认无误。</translation>
    </message>
    <message>
        <source>Orange ring: outside the expected range, not confirmed yet.</source>
        <translation>橙圈：超出预期范围，尚未确认。</translation>
    </message>
</context>
<context>
    <name>CreateSiteDialog</name>
    <message>
        <source>Create a new site</source>
        <translation>新建中心</translation>
    </message>
    <message>
        <source>e.g. Wuhan Union Hospital</source>
        <translation>例如：武汉协和医院</translation>
    </message>
    <message>
        <source>Site code</source>
        <translation>中心编号</translation>
    </message>
    <message>
        <source>Site name</source>
        <translation>中心名称</translation>
    </message>
    <message>
        <source>Administrator username</source>
        <translation>管理员用户名</translation>
    </message>
    <message>
        <source>Administrator full name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>EndParticipationDialog</name>
    <message>
        <source>End participation</source>
        <translation>结束参与</translation>
    </message>
    <message>
        <source>Record that {0}&apos;s participation has ended. The visits not yet due are cancelled (kept, marked). This cannot be undone.</source>
        <translation>记录 {0} 已结束参与。尚未到期的访视将被取消（保留并标记）。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Completed the study</source>
        <translation>完成研究</translation>
    </message>
    <message>
        <source>e.g. the subject withdrew consent on the phone</source>
        <translation>例如：受试者通过电话撤回知情同意</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Choose the folder for the export bundle</source>
        <translation>选择导出数据包的文件夹</translation>
    </message>
    <message>
        <source>Export bundle</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <source>The bundle is one signed zip file with all data of this site: CSV tables, CDISC ODM, a PDF casebook per subject and the annotated blank CRF. Send it to the sponsor and keep it as the site&apos;s copy of record. It gets its final name only when it is complete.</source>
        <translation>数据包是一个经过签名的 zip 文件，包含本中心的全部数据：CSV 表格、CDISC ODM、每位受试者的 PDF 病例集以及注释空白 CRF。请将其发送给申办方，并作为本中心的记录副本妥善保存。文件只有在完整写入后才会获得最终名称。</translation>
    </message>
    <message>
        <source>What is exported</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Last export</source>
        <translation>上次导出</translation>
    </message>
    <message>
        <source>This export</source>
        <translation>本次导出</translation>
    </message>
    <message>
        <source>Signed with the certificate
(SHA-256 fingerprint)</source>
        <translation>签名证书
（SHA-256 指纹）</translation>
    </message>
    <message>
        <source>Save into folder</source>
        <translation>保存到文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>No. {0}</source>
        <translation>第 {0} 次</translation>
    </message>
    <message>
        <source>None yet: this is the site&apos;s first export</source>
        <translation>尚无：这是本中心的首次导出</translation>
    </message>
    <message>
        <source>No. {0}, {1}, by {2}
{3}</source>
        <translation>第 {0} 次，{1}，由 {2} 导出
{3}</translation>
    </message>
    <message>
        <source>Choose the folder to write the bundle into (e.g. a USB drive), then export again.</source>
        <translation>请选择写入数据包的文件夹（例如 U 盘），然后重新导出。</translation>
    </message>
    <message>
        <source>Reading the site database…</source>
        <translation>正在读取中心数据库…</translation>
    </message>
    <message>
        <source>Exporting into {0}…</source>
        <translation>正在导出到 {0}…</translation>
    </message>
    <message>
        <source>Exporting the bundle</source>
        <translation>正在导出数据包</translation>
    </message>
    <message>
        <source>Export No. {0} written: {1} ({2} subjects, {3} audit events).</source>
        <translation>第 {0} 次导出已写入：{1}（{2} 位受试者，{3} 条稽查事件）。</translation>
    </message>
    <message>
        <source>The bundle was written to
{0}

Check it with:
ecrf verify &quot;{0}&quot;</source>
        <translation>数据包已写入
{0}

可用以下命令检查：
ecrf verify &quot;{0}&quot;</translation>
    </message>
    <message>
        <source>This is the first bundle signed with this site&apos;s certificate: send the certificate to the sponsor so that they can register it (Save certificate… in this dialog), and read them its fingerprint on the phone.</source>
        <translation>这是用本中心证书签名的第一个数据包：请将证书发送给申办方以便登记（使用本对话框中的“保存证书…”），并通过电话向对方念出其指纹。</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>Export cancelled</source>
        <translation>导出已取消</translation>
    </message>
    <message>
        <source>The export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Writing the audit trail…</source>
        <translation>正在写入稽查轨迹…</translation>
    </message>
    <message>
        <source>Signing and packing the bundle…</source>
        <translation>正在签名并打包数据包…</translation>
    </message>
    <message>
        <source>Writing subject {0} ({1} of {2})…</source>
        <translation>正在写入受试者 {0}（第 {1} 位，共 {2} 位）…</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
</context>
<context>
    <name>FormEditorPage</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save as complete (Ctrl+Shift+S)</source>
        <translation>保存并标记完成 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Verify form</source>
        <translation>核查整个表单</translation>
    </message>
    <message>
        <source>Un-verify ticked items…</source>
        <translation>取消核查已勾选条目…</translation>
    </message>
    <message>
        <source>Sign form…</source>
        <translation>签署表单…</translation>
    </message>
    <message>
        <source>Read only: {0}</source>
        <translation>只读：{0}</translation>
    </message>
    <message>
        <source>Sign form</source>
        <translation>签署表单</translation>
    </message>
    <message>
        <source>Save your changes first: a signature covers the data as stored.</source>
        <translation>请先保存您的修改：签名所涵盖的是已保存的数据。</translation>
    </message>
    <message>
        <source>{0} · new entry</source>
        <translation>{0} · 新条目</translation>
    </message>
    <message>
        <source>Unsaved entries</source>
        <translation>未保存的录入</translation>
    </message>
    <message>
        <source>{0} has entries that are not saved yet. Save them before leaving?</source>
        <translation>{0} 有尚未保存的录入。离开前保存吗？</translation>
    </message>
    <message>
        <source>(confirmed)</source>
        <translation>（已确认）</translation>
    </message>
    <message>
        <source>Saved. The form is now: {0}.</source>
        <translation>已保存。表单状态：{0}。</translation>
    </message>
    <message>
        <source>Un-verify</source>
        <translation>取消核查</translation>
    </message>
    <message>
        <source>Why is the verification of these items taken back?
{0}</source>
        <translation>为什么要取消这些条目的核查？
{0}</translation>
    </message>
    <message>
        <source>Source data verification</source>
        <translation>源数据核查</translation>
    </message>
    <message>
        <source>History</source>
        <translation>修改历史</translation>
    </message>
    <message>
        <source>• {0}: stored now {1}, your unsaved entry {2}</source>
        <translation>• {0}：现存值 {1}，您未保存的输入 {2}</translation>
    </message>
    <message>
        <source>The answer to the query stored a new value where you have typed something not saved yet. Your entry is still in the field: save to replace the stored value, or change it back.
{0}</source>
        <translation>回复质疑时保存了新的数值，而您在此处输入的内容尚未保存。您的输入仍保留在字段中：保存即以其替换已保存的数值，或将其改回。
{0}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>FormFields</name>
    <message>
        <source>calculated</source>
        <translation>自动计算</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Pick the date from a calendar (Alt+Down)</source>
        <translation>从日历中选择日期（Alt+向下键）</translation>
    </message>
    <message>
        <source>Calendar: {0}</source>
        <translation>日历：{0}</translation>
    </message>
</context>
<context>
    <name>FormPrint</name>
    <message>
        <source>Save the printed form</source>
        <translation>保存打印的表单</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save this form as a PDF to print: blank, or with the values saved so far</source>
        <translation>将本表单保存为 PDF 以便打印：空白表单，或含目前已保存的数值</translation>
    </message>
    <message>
        <source>Blank form</source>
        <translation>空白表单</translation>
    </message>
    <message>
        <source>With the saved values</source>
        <translation>含已保存的数值</translation>
    </message>
    <message>
        <source>Print form</source>
        <translation>打印表单</translation>
    </message>
    <message>
        <source>This form has entries that are not saved. The print shows only the values saved so far. Print them anyway? (To print your entries, save the form first.)</source>
        <translation>本表单有尚未保存的输入。打印件只显示目前已保存的数值。仍要打印吗？（如需打印您刚输入的内容，请先保存表单。）</translation>
    </message>
    <message>
        <source>The form was saved to {0}. Open it with a PDF viewer to print it.</source>
        <translation>表单已保存到 {0}。请用 PDF 阅读器打开后打印。</translation>
    </message>
</context>
<context>
    <name>FormSave</name>
    <message>
        <source>Answers that no longer apply</source>
        <translation>不再适用的回答</translation>
    </message>
    <message>
        <source>These answers do not apply any more (their condition is not met) and will be cleared when you save:
{0}

Save and clear them?</source>
        <translation>以下回答已不再适用（其前提条件不成立），保存时将被清除：
{0}

保存并清除吗？</translation>
    </message>
    <message>
        <source>There are no changes to save.</source>
        <translation>没有需要保存的更改。</translation>
    </message>
    <message>
        <source>Not saved: {0} answer(s) cannot be accepted. Correct the fields marked red; nothing you typed was lost.</source>
        <translation>未保存：有 {0} 个回答无法接受。请更正标红的字段；您输入的内容均未丢失。</translation>
    </message>
    <message>
        <source>Not saved:
{0}</source>
        <translation>未保存：
{0}</translation>
    </message>
    <message>
        <source>Not saved. Everything you typed is still on screen.</source>
        <translation>未保存。您输入的内容仍在屏幕上。</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Not marked complete: {0} required answer(s) are empty. Fill them in, or mark them not done / unknown in the item menu (Ctrl+M), or save without completing.</source>
        <translation>未标记为完成：有 {0} 个必填项为空。请填写，或在条目菜单（Ctrl+M）中标记为未做/未知，或只保存不标记完成。</translation>
    </message>
    <message>
        <source>Confirm warnings</source>
        <translation>确认警告</translation>
    </message>
    <message>
        <source>Please check these values against the source document:
{0}

Are they correct? Yes saves them with your confirmation recorded; No goes back to the form.</source>
        <translation>请对照原始文件核对以下数值：
{0}

这些数值正确吗？选“是”将保存并记录您的确认；选“否”返回表单。</translation>
    </message>
    <message>
        <source>Reason for change</source>
        <translation>更改原因</translation>
    </message>
    <message>
        <source>This form was saved as complete. Give the reason for changing:
{0}</source>
        <translation>此表单已保存为完成状态。请说明更改原因：
{0}</translation>
    </message>
    <message>
        <source>Not saved: changing completed data needs a reason.</source>
        <translation>未保存：更改已完成的数据需要说明原因。</translation>
    </message>
</context>
<context>
    <name>FormStatus</name>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>Save the user guide as PDF</source>
        <translation>将用户指南另存为 PDF</translation>
    </message>
    <message>
        <source>ecrf user guide</source>
        <translation>ecrf 用户指南</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>The user guide is not installed ({0} is missing). Reinstall ecrf to get it back.</source>
        <translation>用户指南未安装（缺少 {0}）。请重新安装 ecrf 以恢复。</translation>
    </message>
    <message>
        <source>The guide could not be saved to {0}. Choose a folder you may write to, with free space.</source>
        <translation>用户指南无法保存到 {0}。请选择您有写入权限且有剩余空间的文件夹。</translation>
    </message>
    <message>
        <source>The user guide was saved to {0}.</source>
        <translation>用户指南已保存到 {0}。</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>Subject {0}</source>
        <translation>受试者 {0}</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>状态：{0}</translation>
    </message>
    <message>
        <source>last saved {0} by {1}</source>
        <translation>最后保存：{0}，{1}</translation>
    </message>
    <message>
        <source>(not saved)</source>
        <translation>（未保存）</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History – {0}</source>
        <translation>修改历史 – {0}</translation>
    </message>
    <message>
        <source>No change of this item has been recorded yet.</source>
        <translation>此条目尚无修改记录。</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Query</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>最新消息</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>人工</translation>
    </message>
    <message>
        <source>sponsor</source>
        <translation>申办方</translation>
    </message>
</context>
<context>
    <name>ItemHistory</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>Calculated</source>
        <translation>自动计算</translation>
    </message>
    <message>
        <source>Warning confirmed</source>
        <translation>已确认警告</translation>
    </message>
    <message>
        <source>Entered</source>
        <translation>录入</translation>
    </message>
</context>
<context>
    <name>ItemMenu</name>
    <message>
        <source>{0} – {1}</source>
        <translation>{0} – {1}</translation>
    </message>
    <message>
        <source>Remove the missing mark</source>
        <translation>取消缺失标记</translation>
    </message>
    <message>
        <source>Clear the answer</source>
        <translation>清除回答</translation>
    </message>
    <message>
        <source>History of this item…</source>
        <translation>此条目的修改历史…</translation>
    </message>
    <message>
        <source>Raise query…</source>
        <translation>发起质疑…</translation>
    </message>
</context>
<context>
    <name>ItemRow</name>
    <message>
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>Item menu (Ctrl+M): missing value (ND / UNK / NA), clear the answer, history of this item</source>
        <translation>条目菜单（Ctrl+M）：缺失值（ND / UNK / NA）、清除回答、此条目的修改历史</translation>
    </message>
    <message>
        <source>Item menu: {0}</source>
        <translation>条目菜单：{0}</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>due, not started</source>
        <translation>应做，未开始</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <source>not due yet</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>2/5: forms done · late: window closed · +3d: done 3 days after the window</source>
        <translation>2/5：已完成表单数 · 逾期：时间窗已关闭 · +3d：在时间窗后 3 天完成</translation>
    </message>
</context>
<context>
    <name>LockButtons</name>
    <message>
        <source>Lock…</source>
        <translation>锁定…</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
    <message>
        <source>Lock form {0}</source>
        <translation>锁定表单 {0}</translation>
    </message>
    <message>
        <source>Lock visit {0}</source>
        <translation>锁定访视 {0}</translation>
    </message>
    <message>
        <source>Lock the whole subject</source>
        <translation>锁定整个受试者</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Nothing is locked</source>
        <translation>没有锁定的数据</translation>
    </message>
    <message>
        <source>the whole subject (locked by {0})</source>
        <translation>整个受试者（由 {0} 锁定）</translation>
    </message>
    <message>
        <source>visit {0} (locked by {1})</source>
        <translation>访视 {0}（由 {1} 锁定）</translation>
    </message>
    <message>
        <source>form {0} (locked by {1})</source>
        <translation>表单 {0}（由 {1} 锁定）</translation>
    </message>
    <message>
        <source>Cannot lock</source>
        <translation>无法锁定</translation>
    </message>
    <message>
        <source>Why must {0} be unlocked? Signatures over these data will be marked broken.</source>
        <translation>为什么必须解锁{0}？覆盖这些数据的签名将被标记为失效。</translation>
    </message>
    <message>
        <source>Cannot unlock</source>
        <translation>无法解锁</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>Locked after a period without activity</source>
        <translation>长时间无操作，已锁定</translation>
    </message>
    <message>
        <source>{0} ({1}) is logged in. Enter the password to continue where you left off.</source>
        <translation>{0}（{1}）已登录。输入密码即可从中断处继续。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Locked by {0}</source>
        <translation>已由 {0} 锁定</translation>
    </message>
</context>
<context>
    <name>LocksTab</name>
    <message>
        <source>Locked data cannot be changed by anyone. Unlocking needs a reason, is in the audit trail and breaks the investigator&apos;s signatures over the unlocked data. This tab shows where locks are, never the data.</source>
        <translation>锁定的数据任何人都不能修改。解锁须填写原因，会记入稽查轨迹，并使研究者对解锁数据的签名失效。本页只显示锁定的位置，从不显示数据。</translation>
    </message>
    <message>
        <source>Locks in force</source>
        <translation>生效中的锁定</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>锁定内容</translation>
    </message>
    <message>
        <source>Locked by</source>
        <translation>锁定人</translation>
    </message>
    <message>
        <source>Locked on</source>
        <translation>锁定时间</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
    <message>
        <source>Data locks</source>
        <translation>数据锁定</translation>
    </message>
    <message>
        <source>{0} lock(s) in force.</source>
        <translation>生效中的锁定：{0} 个。</translation>
    </message>
    <message>
        <source>Nothing is locked.</source>
        <translation>没有任何锁定。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Why must {0} of {1} be unlocked? Signatures over these data will be marked broken.</source>
        <translation>为什么必须解锁 {1} 的{0}？覆盖这些数据的签名将被标记为失效。</translation>
    </message>
    <message>
        <source>Cannot unlock</source>
        <translation>无法解锁</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Choose a subject and what to lock. The monitoring plan says what a lock needs (for example complete forms, no open query, data verified); if something is missing, the app says what.</source>
        <translation>请选择受试者和要锁定的内容。监查计划规定了锁定的条件（例如表单已完成、没有未关闭的质疑、数据已核查）；如有未满足的条件，系统会说明缺少什么。</translation>
    </message>
    <message>
        <source>What</source>
        <translation>锁定内容</translation>
    </message>
    <message>
        <source>{0} (locked)</source>
        <translation>{0}（已锁定）</translation>
    </message>
    <message>
        <source>Cannot lock</source>
        <translation>无法锁定</translation>
    </message>
    <message>
        <source>The whole subject</source>
        <translation>整个受试者</translation>
    </message>
    <message>
        <source>Visit {0}</source>
        <translation>访视 {0}</translation>
    </message>
</context>
<context>
    <name>LogTab</name>
    <message>
        <source>Form status</source>
        <translation>表单状态</translation>
    </message>
    <message>
        <source>Removed (reason)</source>
        <translation>已删除（原因）</translation>
    </message>
    <message>
        <source>Add entry…</source>
        <translation>添加条目…</translation>
    </message>
    <message>
        <source>Open / edit</source>
        <translation>打开/编辑</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Removed: {0}</source>
        <translation>已删除：{0}</translation>
    </message>
    <message>
        <source>Remove entry</source>
        <translation>删除条目</translation>
    </message>
    <message>
        <source>Why is {0} entry #{1} of {2} removed? The entry stays in the records, marked removed with your reason.</source>
        <translation>为什么删除 {2} 的{0}条目 #{1}？该条目仍保留在记录中，标记为已删除并附上您的原因。</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <source>ecrf – log in</source>
        <translation>ecrf – 登录</translation>
    </message>
    <message>
        <source>Site database: {0}</source>
        <translation>中心数据库：{0}</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>This is the demo study (made-up patients). Its users:</source>
        <translation>这是演示研究（虚构的患者）。其用户：</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Cannot open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Site administrator</source>
        <translation>中心管理员</translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation>研究者</translation>
    </message>
    <message>
        <source>Study nurse</source>
        <translation>研究护士</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>监查员</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>SDV progress</source>
        <translation>源数据核查进度</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <source>Export bundle…</source>
        <translation>导出数据包…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>{0} · {1} · Site {2}</source>
        <translation>{0} · {1} · 中心 {2}</translation>
    </message>
    <message>
        <source>Logged in as {0}</source>
        <translation>登录用户名：{0}</translation>
    </message>
    <message>
        <source>Ready for signature…</source>
        <translation>待签名…</translation>
    </message>
    <message>
        <source>Import sponsor queries…</source>
        <translation>导入申办方质疑…</translation>
    </message>
    <message>
        <source>&amp;Monitoring</source>
        <translation>监查(&amp;M)</translation>
    </message>
    <message>
        <source>Monitoring visit report…</source>
        <translation>监查访视报告…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <source>About ecrf…</source>
        <translation>关于 ecrf…</translation>
    </message>
    <message>
        <source>A form has entries that are not saved yet. Logging out without the password drops them. Log out anyway?</source>
        <translation>有表单的录入内容尚未保存。不输入密码直接退出登录将丢弃这些内容。仍要退出登录吗？</translation>
    </message>
</context>
<context>
    <name>ManualAllocationDialog</name>
    <message>
        <source>Manual allocation</source>
        <translation>手动分组</translation>
    </message>
    <message>
        <source>Allocate {0} without the allocation list, e.g. from a sealed envelope opened during a power cut. Enter the arm and the allocation number exactly as on the envelope, and why the list was not used. This is recorded in the audit trail and cannot be undone.</source>
        <translation>不使用随机分组表为 {0} 分组，例如停电时拆开的密封信封。请严格按信封上的内容填写组别和随机号，并说明未使用分组表的原因。此操作将记入稽查轨迹，且无法撤销。</translation>
    </message>
    <message>
        <source>e.g. computer down at night; envelope 17 opened by Dr Li</source>
        <translation>例如：夜间电脑故障；由李医生拆开第 17 号信封</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <source>Allocation number</source>
        <translation>随机号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>MatrixPage</name>
    <message>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Find subject (id or screening no.)</source>
        <translation>查找受试者（编号或筛选号）</translation>
    </message>
    <message>
        <source>Type part of a subject id, screening number or allocation number; Enter opens the subject when only one is left.</source>
        <translation>输入受试者编号、筛选号或随机号的一部分；只剩一名受试者时按回车即可打开。</translation>
    </message>
    <message>
        <source>All arms</source>
        <translation>全部组别</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Active (screening or enrolled)</source>
        <translation>进行中（筛选中或已入组）</translation>
    </message>
    <message>
        <source>Overdue visits only</source>
        <translation>仅逾期访视</translation>
    </message>
    <message>
        <source>Needs attention only</source>
        <translation>仅需处理</translation>
    </message>
    <message>
        <source>Screen a new subject…</source>
        <translation>筛选新受试者…</translation>
    </message>
    <message>
        <source>Cannot show the subjects</source>
        <translation>无法显示受试者</translation>
    </message>
    <message>
        <source>Cannot show the monitoring states</source>
        <translation>无法显示监查状态</translation>
    </message>
    <message>
        <source>{0} of {1} subjects</source>
        <translation>{0} / {1} 名受试者</translation>
    </message>
    <message>
        <source>Screen a new subject</source>
        <translation>筛选新受试者</translation>
    </message>
    <message>
        <source>Register a new subject in screening? The next screening number is given to the subject now and stays in the records.</source>
        <translation>登记一名新的筛选期受试者？系统将立即分配下一个筛选号，并永久保留在记录中。</translation>
    </message>
</context>
<context>
    <name>Monitoring</name>
    <message>
        <source>SDV: {0} of {1} verified</source>
        <translation>源数据核查：已核查 {0}/{1}</translation>
    </message>
    <message>
        <source>{0} changed since verified</source>
        <translation>{0} 项核查后已修改</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>signature broken (data changed after signing)</source>
        <translation>签名失效（签名后数据已修改）</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>1 query not closed</source>
        <translation>1 条未关闭质疑</translation>
    </message>
    <message>
        <source>{0} queries not closed</source>
        <translation>{0} 条未关闭质疑</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <source>changed since verified</source>
        <translation>核查后已修改</translation>
    </message>
    <message>
        <source>not verified yet</source>
        <translation>尚未核查</translation>
    </message>
</context>
<context>
    <name>MonitoringLegend</name>
    <message>
        <source>n/m: items verified of those to verify</source>
        <translation>n/m：需核查条目中已核查的数量</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <source>changed since verified</source>
        <translation>核查后已修改</translation>
    </message>
    <message>
        <source>queries not closed</source>
        <translation>未关闭质疑</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>signature broken</source>
        <translation>签名失效</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>The new user gets a temporary password, shown once after this step, and chooses their own password at first login. Usernames are never reused.</source>
        <translation>新用户将获得一个临时密码（此步骤后只显示一次），首次登录时需设置自己的密码。用户名永不重复使用。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message>
        <source>Answer</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Choose a response…</source>
        <translation>请选择回复类型…</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>回复类型</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Correct the value in the same step</source>
        <translation>同时更正数值</translation>
    </message>
    <message>
        <source>Reason for the change (required)</source>
        <translation>修改原因（必填）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Send answer</source>
        <translation>发送回复</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Why you close, re-open or cancel the query</source>
        <translation>关闭、重新打开或取消该质疑的理由</translation>
    </message>
    <message>
        <source>Close query</source>
        <translation>关闭质疑</translation>
    </message>
    <message>
        <source>Re-open</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Cancel query (raised in error)</source>
        <translation>取消质疑（误提）</translation>
    </message>
    <message>
        <source>Query {0}</source>
        <translation>质疑 {0}</translation>
    </message>
    <message>
        <source>Choose the response first.</source>
        <translation>请先选择回复类型。</translation>
    </message>
    <message>
        <source>Confirm warnings</source>
        <translation>确认警告</translation>
    </message>
    <message>
        <source>The new value raises these warnings:
{0}

Confirm that it is correct?</source>
        <translation>新数值引发以下警告：
{0}

确认该数值正确吗？</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>未回复</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未执行</translation>
    </message>
</context>
<context>
    <name>QueryInboxPage</name>
    <message>
        <source>Query inbox</source>
        <translation>质疑收件箱</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Subject (all)</source>
        <translation>受试者（全部）</translation>
    </message>
    <message>
        <source>All forms</source>
        <translation>全部表单</translation>
    </message>
    <message>
        <source>any age</source>
        <translation>不限天数</translation>
    </message>
    <message>
        <source> days or older</source>
        <translation> 天及以上</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>{0} queries shown, {1} open or answered</source>
        <translation>显示 {0} 条质疑，其中 {1} 条待回复或已回复</translation>
    </message>
</context>
<context>
    <name>QueryLines</name>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
</context>
<context>
    <name>QueryPanel</name>
    <message>
        <source>Raise query on this form…</source>
        <translation>对本表单发起质疑…</translation>
    </message>
    <message>
        <source>Queries on this form: {0} open or answered, {1} in all</source>
        <translation>本表单的质疑：{0} 条待回复或已回复，共 {1} 条</translation>
    </message>
</context>
<context>
    <name>QueryWords</name>
    <message>
        <source>Open</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Data missing</source>
        <translation>数据缺失</translation>
    </message>
    <message>
        <source>Typing error</source>
        <translation>录入错误</translation>
    </message>
    <message>
        <source>Wrong source</source>
        <translation>原始资料有误</translation>
    </message>
    <message>
        <source>Confirmed correct</source>
        <translation>确认无误</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>the eCRF</source>
        <translation>eCRF 系统</translation>
    </message>
    <message>
        <source>raised</source>
        <translation>发起</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>re-opened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Value corrected: {0} → {1}. Reason: {2}</source>
        <translation>数值已更正：{0} → {1}。原因：{2}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>RaiseQueryDialog</name>
    <message>
        <source>Raise query</source>
        <translation>发起质疑</translation>
    </message>
    <message>
        <source>Query on {0}</source>
        <translation>质疑对象：{0}</translation>
    </message>
    <message>
        <source>What should the site check? e.g. Was this visit done? Nothing is entered for it yet.</source>
        <translation>需要研究中心核对什么？例如：该访视是否已进行？目前尚未录入任何数据。</translation>
    </message>
    <message>
        <source>What should the site check? e.g. The source says 88, not 80.</source>
        <translation>需要研究中心核对什么？例如：原始资料记录为 88，而不是 80。</translation>
    </message>
    <message>
        <source>Query not raised</source>
        <translation>未能发起质疑</translation>
    </message>
</context>
<context>
    <name>ReadyDialog</name>
    <message>
        <source>Ready for signature</source>
        <translation>待签名</translation>
    </message>
    <message>
        <source>Casebooks and visits whose forms are all complete and that have no valid signature. {0} marks a signature broken by a later change.</source>
        <translation>所有表单均已完成但尚无有效签名的病例报告表和访视。{0} 表示签名因之后的修改而失效。</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>To sign</source>
        <translation>待签署</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>表单数</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Open subject</source>
        <translation>打开受试者</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <source>Casebook</source>
        <translation>病例报告表</translation>
    </message>
    <message>
        <source>Visit {0}</source>
        <translation>访视 {0}</translation>
    </message>
    <message>
        <source>broken: sign again</source>
        <translation>已失效：请重新签名</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签名</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>Transcription error</source>
        <translation>转录错误</translation>
    </message>
    <message>
        <source>Source document corrected</source>
        <translation>原始资料已更正</translation>
    </message>
    <message>
        <source>Data entered in error</source>
        <translation>数据录入错误</translation>
    </message>
    <message>
        <source>Value confirmed against the source document</source>
        <translation>已对照原始资料确认数值</translation>
    </message>
    <message>
        <source>New information from the source document</source>
        <translation>原始资料中有新信息</translation>
    </message>
    <message>
        <source>Correction in answer to a query</source>
        <translation>答复质疑时更正</translation>
    </message>
    <message>
        <source>Value changed after verification</source>
        <translation>核查后数值已更改</translation>
    </message>
    <message>
        <source>Verified in error</source>
        <translation>误核查</translation>
    </message>
    <message>
        <source>Duplicate entry</source>
        <translation>重复录入</translation>
    </message>
    <message>
        <source>Entered for the wrong subject</source>
        <translation>录入到错误的受试者</translation>
    </message>
    <message>
        <source>&amp;0  Other (write the reason below)</source>
        <translation>&amp;0  其他（请在下方填写原因）</translation>
    </message>
    <message>
        <source>Details (optional; needed for Other)</source>
        <translation>详细说明（可选；选“其他”时必填）</translation>
    </message>
    <message>
        <source>Details of the reason</source>
        <translation>原因的详细说明</translation>
    </message>
</context>
<context>
    <name>RecoveryCodeDialog</name>
    <message>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <source>Write this recovery code on paper and keep it locked away, apart from this computer. It is shown only now. It is the only way back in if every administrator password is lost; anyone who has it can read the site&apos;s data.</source>
        <translation>请把此恢复码抄写在纸上，锁好保管，不要与本电脑放在一起。恢复码只显示这一次。如果所有管理员密码都丢失，这是唯一的恢复途径；任何持有它的人都能读取本中心的数据。</translation>
    </message>
    <message>
        <source>Type the code again to show you have it</source>
        <translation>再次输入恢复码，以确认您已记下</translation>
    </message>
</context>
<context>
    <name>Restore</name>
    <message>
        <source>Checking the backup and putting it in place…</source>
        <translation>正在检查备份并恢复…</translation>
    </message>
    <message>
        <source>Restoring a backup…</source>
        <translation>正在恢复备份…</translation>
    </message>
    <message>
        <source>The backup made {0} (audit trail up to event {1}) is now the site database. Accounts and passwords are those valid when the backup was made.</source>
        <translation>{0} 制作的备份（稽查轨迹至第 {1} 条事件）现已成为中心数据库。账户和密码以备份时为准。</translation>
    </message>
    <message>
        <source>The database it replaced is kept as {0}.</source>
        <translation>被替换的数据库保留为 {0}。</translation>
    </message>
</context>
<context>
    <name>RestoreLoginDialog</name>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Restoring {0}. Enter a site administrator&apos;s username and the password valid when the backup was made (or the username &apos;recovery&apos; and the recovery code).</source>
        <translation>正在恢复 {0}。请输入中心管理员的用户名及备份时有效的密码（或用户名 &apos;recovery&apos; 及恢复码）。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>ScheduleTab</name>
    <message>
        <source>Visit / form</source>
        <translation>访视/表单</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标日期</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>访视日期</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>访视计划</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>监查</translation>
    </message>
    <message>
        <source>Open form</source>
        <translation>打开表单</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the form</source>
        <translation>双击或按回车键打开表单</translation>
    </message>
    <message>
        <source>Raise query on visit {0}…</source>
        <translation>对访视 {0} 发起质疑…</translation>
    </message>
</context>
<context>
    <name>ScreeningPanel</name>
    <message>
        <source>Screening: eligibility and allocation</source>
        <translation>筛选：入组资格与随机分组</translation>
    </message>
    <message>
        <source>Open eligibility form</source>
        <translation>打开入选/排除标准表</translation>
    </message>
    <message>
        <source>Allocate…</source>
        <translation>随机分组…</translation>
    </message>
    <message>
        <source>Manual allocation…</source>
        <translation>手动分组…</translation>
    </message>
    <message>
        <source>Record screen failure…</source>
        <translation>记录筛选失败…</translation>
    </message>
    <message>
        <source>✓ Eligible: every criterion is met. The subject can be allocated.</source>
        <translation>✓ 符合入组条件：所有标准均满足，可以分组。</translation>
    </message>
    <message>
        <source>✗ Not eligible: {0} criteria not met.</source>
        <translation>✗ 不符合入组条件：{0} 条标准未满足。</translation>
    </message>
    <message>
        <source>? Eligibility not decided yet: {0} criteria still open.</source>
        <translation>? 尚未确定是否符合：还有 {0} 条标准待定。</translation>
    </message>
    <message>
        <source>Allocation needs every eligibility criterion met.</source>
        <translation>所有入选/排除标准均满足后才能分组。</translation>
    </message>
</context>
<context>
    <name>SdvMarker</name>
    <message>
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
</context>
<context>
    <name>SdvMatrixPage</name>
    <message>
        <source>Source data verification progress</source>
        <translation>源数据核查进度</translation>
    </message>
    <message>
        <source>Only subjects with data changed since verified</source>
        <translation>仅显示核查后数据有修改的受试者</translation>
    </message>
    <message>
        <source>Verify the selected visit</source>
        <translation>核查所选访视</translation>
    </message>
    <message>
        <source>Verify every item to verify on the completed forms of the chosen subject and visit</source>
        <translation>核查所选受试者和访视中已完成表单的所有需核查条目</translation>
    </message>
    <message>
        <source>SDV progress</source>
        <translation>源数据核查进度</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>记录表</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>{0} subjects · {1} of {2} items verified · {3} changed since verified</source>
        <translation>{0} 名受试者 · 已核查 {1}/{2} 个条目 · {3} 项核查后已修改</translation>
    </message>
    <message>
        <source>Verify visit</source>
        <translation>核查访视</translation>
    </message>
    <message>
        <source>Choose a subject&apos;s visit in the table first.</source>
        <translation>请先在表格中选择一名受试者的访视。</translation>
    </message>
    <message>
        <source>{0} item(s) verified at {1} {2}.</source>
        <translation>已核查 {1} {2} 的 {0} 个条目。</translation>
    </message>
    <message>
        <source>Not complete yet, so not verified: {0}.</source>
        <translation>尚未完成、因此未核查：{0}。</translation>
    </message>
</context>
<context>
    <name>SignaturesTab</name>
    <message>
        <source>Casebook</source>
        <translation>病例报告表</translation>
    </message>
    <message>
        <source>Visit {0}</source>
        <translation>访视 {0}</translation>
    </message>
    <message>
        <source>Form {0}</source>
        <translation>表单 {0}</translation>
    </message>
    <message>
        <source>{0} {1} signature(s) broken by later changes: sign again</source>
        <translation>{0} 有 {1} 个签名因之后的修改而失效：请重新签名</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>签署范围</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>{0} Casebook signed by {1} on {2}</source>
        <translation>{0} 病例报告表已由 {1} 于 {2} 签署</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Broken because</source>
        <translation>失效原因</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>No electronic signature yet.</source>
        <translation>尚无电子签名。</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <source>Sign the whole casebook…</source>
        <translation>签署整份病例报告表…</translation>
    </message>
    <message>
        <source>Sign a visit</source>
        <translation>签署访视</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>已失效</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
</context>
<context>
    <name>SigningDialog</name>
    <message>
        <source>Electronic signature</source>
        <translation>电子签名</translation>
    </message>
    <message>
        <source>You are signing {0}: {1} form(s).</source>
        <translation>您正在签署 {0}：共 {1} 个表单。</translation>
    </message>
    <message>
        <source>Printed name</source>
        <translation>签名人姓名</translation>
    </message>
    <message>
        <source>Meaning (version {0})</source>
        <translation>签名含义（版本 {0}）</translation>
    </message>
    <message>
        <source>{0} now; the exact time of signing is recorded.</source>
        <translation>现在 {0}；将记录签名的确切时间。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The first signature of a session needs your username and password; later ones need the password only, until the session is locked or you log out.</source>
        <translation>本次会话的第一次签名需要输入用户名和密码；之后的签名只需密码，直到会话锁定或您退出登录。</translation>
    </message>
    <message>
        <source>You signed earlier in this session: your password is enough.</source>
        <translation>您在本次会话中已签过名：输入密码即可。</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>I have read these warnings and sign anyway</source>
        <translation>我已阅读这些警告，仍要签名</translation>
    </message>
    <message>
        <source>Signed: {0} ({1} form(s)), by {2} at {3}.</source>
        <translation>已签署：{0}（{1} 份表单），签名人 {2}，时间 {3}。</translation>
    </message>
</context>
<context>
    <name>SiteStateBox</name>
    <message>
        <source>Freeze or lock the site</source>
        <translation>冻结或锁定中心</translation>
    </message>
    <message>
        <source>Frozen: no data can be entered or changed, but queries are still answered and the monitor still verifies (before the final export). Locked: nothing but reading and export. Each change needs a reason and is in the audit trail.</source>
        <translation>冻结：不能录入或修改数据，但仍可回复质疑，监查员仍可核查（用于最终导出前）。锁定：只能查看和导出。每次变更都需填写原因并记入稽查轨迹。</translation>
    </message>
    <message>
        <source>Freeze…</source>
        <translation>冻结…</translation>
    </message>
    <message>
        <source>Lock site…</source>
        <translation>锁定中心…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新开放…</translation>
    </message>
    <message>
        <source>open: data entry as usual</source>
        <translation>开放：正常录入数据</translation>
    </message>
    <message>
        <source>frozen: no data entry; queries and verification go on</source>
        <translation>冻结：不能录入数据；质疑和核查照常进行</translation>
    </message>
    <message>
        <source>locked: reading and export only</source>
        <translation>锁定：只能查看和导出</translation>
    </message>
    <message>
        <source>The site is {0}.</source>
        <translation>本中心状态：{0}。</translation>
    </message>
    <message>
        <source>Site state</source>
        <translation>中心状态</translation>
    </message>
    <message>
        <source>Why is the site to be {0}?</source>
        <translation>为什么要将中心设为{0}？</translation>
    </message>
</context>
<context>
    <name>SiteTab</name>
    <message>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <source>The recovery code was shown once, when this site was set up. Keep it on paper, locked away apart from this PC. It is the only way back into the site if every administrator password is lost: without it, nobody (not even the software&apos;s makers) can open the data. Anyone who has it can read the site&apos;s data, so never store it on the PC, in e-mail or in a photo.</source>
        <translation>恢复码只在建立本中心时显示过一次。请抄写在纸上，锁好保管，不要与本电脑放在一起。如果所有管理员密码都丢失，这是重新进入本中心的唯一途径：没有它，任何人（包括软件开发者）都无法打开数据。持有恢复码的人都能读取本中心的数据，因此切勿存放在电脑、电子邮件或照片中。</translation>
    </message>
    <message>
        <source>This site</source>
        <translation>本中心</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <source>Form definition</source>
        <translation>表单定义</translation>
    </message>
    <message>
        <source>Set up on</source>
        <translation>建立日期</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>用户账户</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <source>Signing certificate</source>
        <translation>签名证书</translation>
    </message>
    <message>
        <source>Every export bundle is signed with this site&apos;s key. The sponsor registers the certificate once and checks each bundle against it: send them the certificate file and compare this SHA-256 fingerprint with them by phone.</source>
        <translation>每个导出数据包都用本中心的密钥签名。申办方只需登记一次证书，之后用它核对每个数据包：请将证书文件发送给对方，并通过电话与对方核对此 SHA-256 指纹。</translation>
    </message>
    <message>
        <source>Automatic lock</source>
        <translation>自动锁定</translation>
    </message>
    <message>
        <source>The app covers itself and asks for the password again after this many minutes without use, so an unattended PC on the ward shows no data.</source>
        <translation>无操作达到此分钟数后，程序会遮盖界面并要求重新输入密码，使病房里无人看管的电脑不显示数据。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Only a site administrator can change it.</source>
        <translation>仅中心管理员可以修改。</translation>
    </message>
    <message>
        <source>{0} (site set up under {1})</source>
        <translation>{0}（建立中心时为 {1}）</translation>
    </message>
    <message>
        <source>{0} active, {1} deactivated</source>
        <translation>{0} 个启用，{1} 个已停用</translation>
    </message>
    <message>
        <source>{0} events</source>
        <translation>{0} 条事件</translation>
    </message>
    <message>
        <source>The recovery code of this site is set up.</source>
        <translation>本中心已设置恢复码。</translation>
    </message>
    <message>
        <source>This site has no recovery code: if every administrator password is lost, the data cannot be opened.</source>
        <translation>本中心没有恢复码：如果所有管理员密码都丢失，将无法打开数据。</translation>
    </message>
</context>
<context>
    <name>SponsorCertificateBox</name>
    <message>
        <source>Sponsor certificate</source>
        <translation>申办方证书</translation>
    </message>
    <message>
        <source>The sponsor signs its query bundles with its own key. Once its certificate is registered here, Data › Import sponsor queries… takes the queries in; bundles signed by any other key are refused.</source>
        <translation>申办方用其自己的密钥为质疑包签名。在此注册其证书后，即可通过“数据 › 导入申办方质疑…”导入质疑；由其他任何密钥签名的质疑包都会被拒绝。</translation>
    </message>
    <message>
        <source>Register the sponsor&apos;s certificate…</source>
        <translation>注册申办方证书…</translation>
    </message>
    <message>
        <source>No sponsor certificate is registered: query bundles cannot be imported.</source>
        <translation>尚未注册申办方证书：无法导入质疑包。</translation>
    </message>
    <message>
        <source>{0}, registered {1} by {2}. SHA-256:</source>
        <translation>{0}，由 {2} 于 {1} 注册。SHA-256：</translation>
    </message>
    <message>
        <source>Certificate of the sponsor {0}. Compare its SHA-256 fingerprint with the sponsor by phone before you register it:

{1}

Register it?</source>
        <translation>申办方 {0} 的证书。注册前请与申办方电话核对其 SHA-256 指纹：

{1}

是否注册？</translation>
    </message>
    <message>
        <source>Choose the sponsor&apos;s certificate</source>
        <translation>选择申办方证书</translation>
    </message>
    <message>
        <source>Certificate (*.pem);;All files (*)</source>
        <translation>证书 (*.pem);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SponsorImport</name>
    <message>
        <source>Choose the sponsor&apos;s query bundle</source>
        <translation>选择申办方的质疑包</translation>
    </message>
    <message>
        <source>ecrf query bundle (*.zip);;All files (*)</source>
        <translation>ecrf 质疑包 (*.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import sponsor queries</source>
        <translation>导入申办方质疑</translation>
    </message>
    <message>
        <source>Query bundle {0} was imported before; nothing changed.</source>
        <translation>质疑包 {0} 此前已导入；未作任何更改。</translation>
    </message>
    <message>
        <source>Query bundle {0} from the sponsor {1} imported: {2} new queries, {3} closed by the sponsor.</source>
        <translation>已导入申办方 {1} 的质疑包 {0}：新质疑 {2} 条，申办方关闭 {3} 条。</translation>
    </message>
    <message>
        <source>New in the query inbox: {0}.</source>
        <translation>质疑收件箱中的新质疑：{0}。</translation>
    </message>
    <message>
        <source>Closed by the sponsor but not answered here yet, so left open: {0}.</source>
        <translation>申办方已关闭但本中心尚未回复，因此保持待回复：{0}。</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Welcome to ecrf</source>
        <translation>欢迎使用 ecrf</translation>
    </message>
    <message>
        <source>There is no site database on this computer yet ({0}).

Create the site database once, as the site administrator, before the trial starts. To look around first, open the demo study: it has made-up patients and its own users, apart from any real data.</source>
        <translation>本电脑上还没有中心数据库（{0}）。

请在试验开始前，由中心管理员创建一次中心数据库。如果想先看看，请打开演示研究：其中是虚构的患者和单独的用户，与真实数据完全分开。</translation>
    </message>
    <message>
        <source>Create a new site…</source>
        <translation>新建中心…</translation>
    </message>
    <message>
        <source>Open the demo study</source>
        <translation>打开演示研究</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>SubjectMatrixModel</name>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <source>not due</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>no Day 0 yet</source>
        <translation>尚无第 0 天</translation>
    </message>
    <message>
        <source>upcoming</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>due now</source>
        <translation>当前应做</translation>
    </message>
    <message>
        <source>overdue (window closed)</source>
        <translation>逾期（时间窗已关闭）</translation>
    </message>
    <message>
        <source>done in window</source>
        <translation>在时间窗内完成</translation>
    </message>
    <message>
        <source>done outside the window</source>
        <translation>在时间窗外完成</translation>
    </message>
    <message>
        <source>cancelled (participation ended)</source>
        <translation>已取消（已结束参与）</translation>
    </message>
    <message>
        <source>late</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>{0:+d}d</source>
        <translation>{0:+d}天</translation>
    </message>
    <message>
        <source>screening no.</source>
        <translation>筛选号</translation>
    </message>
    <message>
        <source>subject ID</source>
        <translation>受试者编号</translation>
    </message>
    <message>
        <source>allocation no.</source>
        <translation>随机号</translation>
    </message>
    <message>
        <source>{0} · {1} {2}</source>
        <translation>{0} · {1} {2}</translation>
    </message>
    <message>
        <source>Screening number: {0}</source>
        <translation>筛选号：{0}</translation>
    </message>
    <message>
        <source>Found by its {0} {1}</source>
        <translation>按{0} {1}找到</translation>
    </message>
    <message>
        <source>Arm: {0}</source>
        <translation>组别：{0}</translation>
    </message>
    <message>
        <source>Allocation number: {0}</source>
        <translation>随机号：{0}</translation>
    </message>
    <message>
        <source>{0} on {1}</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>Target {0}, window {1} – {2}</source>
        <translation>目标日期 {0}，时间窗 {1} – {2}</translation>
    </message>
    <message>
        <source>Visit date {0}</source>
        <translation>访视日期 {0}</translation>
    </message>
    <message>
        <source>Schedule: {0}</source>
        <translation>访视计划：{0}</translation>
    </message>
    <message>
        <source>{0}: {1} entries</source>
        <translation>{0}：{1} 条</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Day 0</source>
        <translation>第 0 天</translation>
    </message>
    <message>
        <source>screening</source>
        <translation>筛选期</translation>
    </message>
    <message>
        <source>Day {0}</source>
        <translation>第 {0} 天</translation>
    </message>
    <message>
        <source>{0}: Day {1}, window −{2} / +{3} days</source>
        <translation>{0}：第 {1} 天，时间窗 −{2} / +{3} 天</translation>
    </message>
    <message>
        <source>{0}: entries (removed ones not counted)</source>
        <translation>{0}：条目数（不含已删除）</translation>
    </message>
</context>
<context>
    <name>SubjectPage</name>
    <message>
        <source>End participation…</source>
        <translation>结束参与…</translation>
    </message>
    <message>
        <source>All subjects</source>
        <translation>所有受试者</translation>
    </message>
    <message>
        <source>Visits and forms</source>
        <translation>访视与表单</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Cannot show the subject</source>
        <translation>无法显示该受试者</translation>
    </message>
    <message>
        <source>Cannot show the monitoring states</source>
        <translation>无法显示监查状态</translation>
    </message>
    <message>
        <source>screening no. {0}</source>
        <translation>筛选号 {0}</translation>
    </message>
    <message>
        <source>arm {0} ({1})</source>
        <translation>组别 {0}（{1}）</translation>
    </message>
    <message>
        <source>allocation no. {0}</source>
        <translation>随机号 {0}</translation>
    </message>
    <message>
        <source>Day 0 {0}</source>
        <translation>第 0 天 {0}</translation>
    </message>
    <message>
        <source>not allocated yet</source>
        <translation>尚未分组</translation>
    </message>
    <message>
        <source>Participation ended {0}: {1}</source>
        <translation>已结束参与 {0}：{1}</translation>
    </message>
    <message>
        <source>Charts are not available in this version.</source>
        <translation>此版本不提供图表。</translation>
    </message>
    <message>
        <source>Allocate</source>
        <translation>随机分组</translation>
    </message>
    <message>
        <source>Allocate {0} now? The next entry of the allocation list gives the arm and the allocation number, and today ({1}) becomes Day 0. This cannot be undone.</source>
        <translation>现在为 {0} 随机分组吗？将按随机分组表的下一条确定组别和随机号，今天（{1}）即为第 0 天。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Allocation</source>
        <translation>随机分组</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已分组</translation>
    </message>
    <message>
        <source>{0} is allocated and is now subject {1}.

Arm: {2} ({3})
Allocation number: {4}
Day 0: {5}</source>
        <translation>{0} 已分组，受试者编号为 {1}。

组别：{2}（{3}）
随机号：{4}
第 0 天：{5}</translation>
    </message>
    <message>
        <source>End participation</source>
        <translation>结束参与</translation>
    </message>
</context>
<context>
    <name>SubjectWords</name>
    <message>
        <source>Screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <source>Died</source>
        <translation>死亡</translation>
    </message>
</context>
<context>
    <name>TrailBanner</name>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>Record a reason…</source>
        <translation>登记原因…</translation>
    </message>
    <message>
        <source>The audit trail check could not run: {0}</source>
        <translation>稽查轨迹检查无法运行：{0}</translation>
    </message>
</context>
<context>
    <name>TrailReport</name>
    <message>
        <source>Record a reason</source>
        <translation>登记原因</translation>
    </message>
    <message>
        <source>Audit trail finding acknowledged by {0} on {1}: {2} — bundles carry it</source>
        <translation>稽查轨迹发现已由 {0} 于 {1} 确认：{2}——数据包将附带此发现</translation>
    </message>
    <message>
        <source>The audit trail check found {0} problem(s): {1}. Tell the site administrator and the sponsor; keep this PC as it is.</source>
        <translation>稽查轨迹检查发现 {0} 个问题：{1}。请告知中心管理员和申办方，并保持本电脑现状。</translation>
    </message>
    <message>
        <source>The audit trail is intact: {0} events, {1} seals, every stored value follows from the trail (last hash {2}…).</source>
        <translation>稽查轨迹完整：共 {0} 条事件、{1} 个封签，每个已存储的值都由稽查轨迹推得（最后的哈希值 {2}…）。</translation>
    </message>
    <message>
        <source>The audit trail is BROKEN: {0}. Do not enter more data; tell the sponsor and keep this PC as it is.</source>
        <translation>稽查轨迹已损坏：{0}。请勿再录入数据；请通知申办方，并保持本电脑现状。</translation>
    </message>
    <message>
        <source>Result: intact</source>
        <translation>结果：完整</translation>
    </message>
    <message>
        <source>Result: {0} problem(s)</source>
        <translation>结果：{0} 个问题</translation>
    </message>
    <message>
        <source>Events: {0} ({1} from before seals); seals: {2}</source>
        <translation>事件：{0} 条（其中 {1} 条早于封签）；封签：{2} 个</translation>
    </message>
    <message>
        <source>Last event: {0}, hash {1}</source>
        <translation>最后一条事件：{0}，哈希值 {1}</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Not acknowledged: export is refused until a site administrator records a reason.</source>
        <translation>未确认：在中心管理员登记原因之前，导出将被拒绝。</translation>
    </message>
    <message>
        <source>Acknowledged by {0} at {1}: {2}</source>
        <translation>已由 {0} 于 {1} 确认：{2}</translation>
    </message>
    <message>
        <source>Audit trail check</source>
        <translation>稽查轨迹检查</translation>
    </message>
    <message>
        <source>The audit trail check found problems. Record why the site goes on: who was told, what was found, what was done. Export is possible again and every bundle carries the finding with this reason.</source>
        <translation>稽查轨迹检查发现了问题。请登记本中心继续工作的原因：通知了谁、发现了什么、采取了什么措施。之后可以再次导出，每个数据包都将附带此发现及该原因。</translation>
    </message>
    <message>
        <source>Recording the reason…</source>
        <translation>正在登记原因…</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>密码修改于</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Yes – locked out until {0} ({1} failed logins)</source>
        <translation>是 – 已锁定至 {0}（{1} 次登录失败）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No (deactivated)</source>
        <translation>否（已停用）</translation>
    </message>
    <message>
        <source>Yes – must change at next login</source>
        <translation>是 – 下次登录时须修改</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>New role of {0} ({1}):</source>
        <translation>{0}（{1}）的新角色：</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <source>Deactivate…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>解除锁定…</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>已添加用户</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Adding the user…</source>
        <translation>正在添加用户…</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Reset the password of {0} ({1})? They get a temporary password and must choose a new one at their next login; a deactivated account becomes active again. Give the reason:</source>
        <translation>重置 {0}（{1}）的密码？该用户将获得临时密码，下次登录时必须设置新密码；已停用的账户将重新启用。请说明原因：</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>密码已重置</translation>
    </message>
    <message>
        <source>Resetting the password…</source>
        <translation>正在重置密码…</translation>
    </message>
    <message>
        <source>Temporary password of {0} ({1}):

{2}

Give it to {0} in person, not by e-mail or message. It is shown only now. {0} must choose a new password at the first login.</source>
        <translation>{0}（{1}）的临时密码：

{2}

请当面交给 {0}，不要通过电子邮件或消息发送。此密码只显示这一次。{0} 首次登录时必须设置新密码。</translation>
    </message>
    <message>
        <source>Change the role of {0} from {1} to {2}. Give the reason:</source>
        <translation>将 {0} 的角色从 {1} 改为 {2}。请说明原因：</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Deactivate {0} ({1})? They can no longer log in. The account stays in the list and in the audit trail; a password reset activates it again. Give the reason:</source>
        <translation>停用 {0}（{1}）？该用户将无法再登录。账户仍保留在列表和稽查轨迹中；重置密码可重新启用。请说明原因：</translation>
    </message>
    <message>
        <source>Unlock user</source>
        <translation>解除用户锁定</translation>
    </message>
    <message>
        <source>Lift the lockout of {0} ({1}) after {2} failed logins? Do it only when you know that {0} made them (e.g. {0} called you); their password stays as it is. Give the reason:</source>
        <translation>解除 {0}（{1}）在 {2} 次登录失败后的锁定？仅在确认这些尝试确为 {0} 本人所为时（例如 {0} 给您打了电话）才这样做；其密码保持不变。请填写原因：</translation>
    </message>
</context>
<context>
    <name>VisitQueryPanel</name>
    <message>
        <source>Queries on visit {0}: {1} open or answered, {2} in all</source>
        <translation>访视 {0} 的质疑：{1} 条待回复或已回复，共 {2} 条</translation>
    </message>
    <message>
        <source>Raise query on this visit…</source>
        <translation>对本访视发起质疑…</translation>
    </message>
</context>
<context>
    <name>VisitReportDialog</name>
    <message>
        <source>Save the monitoring visit report</source>
        <translation>保存监查访视报告</translation>
    </message>
    <message>
        <source>Monitoring visit report</source>
        <translation>监查访视报告</translation>
    </message>
    <message>
        <source>The report lists what you verified during this visit, the queries raised, answered and closed in it, and what is still open: open queries and forms whose source data verification is not done or must be redone. Print it or send it at the end of the visit.</source>
        <translation>报告列出您在本次访视中核查的内容、本次访视中提出、回复和关闭的质疑，以及尚未完成的事项：未关闭的质疑，以及源数据核查尚未完成或需要重新核查的表单。请在访视结束时打印或发送。</translation>
    </message>
    <message>
        <source>The report is not signed: monitors hold no site signing key. The next export bundle carries the same facts, signed by the site.</source>
        <translation>本报告未签名：监查员不持有中心签名密钥。下一个导出数据包将包含相同的内容，并由中心签名。</translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation>开始（本地时间）</translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation>结束（本地时间）</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>In this visit: {0} items on {1} forms verified; {2} queries raised, {3} answered, {4} closed or cancelled.
Still open: {5} queries; {6} forms to verify.</source>
        <translation>本次访视：已核查 {1} 个表单中的 {0} 个条目；提出 {2} 个质疑，回复 {3} 个，关闭或取消 {4} 个。
尚未完成：{5} 个质疑；{6} 个表单待核查。</translation>
    </message>
    <message>
        <source>The visit report was saved to {0}.</source>
        <translation>监查访视报告已保存至 {0}。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>e.g. transcription error corrected from the source document</source>
        <translation>例如：根据原始文件更正转录错误</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
