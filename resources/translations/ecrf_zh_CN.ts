<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>The file could not be read or written: {0}. Check that the drive is present and not full, then try again.</source>
        <translation>无法读写文件：{0}。请检查磁盘是否已连接且未满，然后重试。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({0}). Nothing was saved by the step that failed. Try again; if it happens again, note what you did and tell the site administrator.</source>
        <translation>发生意外错误（{0}）。失败的这一步没有保存任何内容。请重试；如果再次出现，请记下您的操作并告知中心管理员。</translation>
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
<context>
    <name>AppController</name>
    <message>
        <source>Creating the site database…</source>
        <translation>正在创建中心数据库…</translation>
    </message>
    <message>
        <source>Making the demo study (about 10 seconds)…</source>
        <translation>正在生成演示研究（约 10 秒）…</translation>
    </message>
    <message>
        <source>The study definition could not be loaded: {0}</source>
        <translation>无法加载研究定义：{0}</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>The site will be logged out and replaced by the backup. Enter the username and password of an administrator as they were when the backup was made.</source>
        <translation>将退出当前登录，并用备份替换本中心数据。请输入备份时管理员的用户名和密码。</translation>
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
    <name>CredentialsDialog</name>
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
        <source>Home</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
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
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>A form has entries that are not saved yet. Logging out without the password drops them. Log out anyway?</source>
        <translation>有表单的录入内容尚未保存。不输入密码直接退出登录将丢弃这些内容。仍要退出登录吗？</translation>
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
</TS>
