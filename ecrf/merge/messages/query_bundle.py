"""Error messages of the sponsor side: query bundle (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
QUERY_BUNDLE_MESSAGES: dict[str, Message] = {
    # -- the sponsor's key --------------------------------------------------------------------------------------
    "sponsor-key-exists": M(
        "A sponsor key already exists at {path}; a new one would make every site's registration useless.",
        "Keep using it (`ecrf sponsor key --out DIR` writes its certificate again), or move the folder away first "
        "if you really mean to start over (every site must then register the new certificate).",
        "{path} 处已有申办方密钥；新建密钥会使各中心的注册全部失效。",
        "请继续使用它（`ecrf sponsor key --out DIR` 会再次写出其证书）；"
        "如确需重新开始，请先移走该文件夹（之后每个中心都须注册新证书）。"),
    "sponsor-passphrase-short": M(
        "The passphrase for the sponsor key is too short.",
        "Use at least {minimum} characters.",
        "申办方密钥的口令太短。",
        "请至少使用 {minimum} 个字符。"),
    "sponsor-passphrase-missing": M(
        "No passphrase for the sponsor key was given.",
        "Type it when asked, or set ECRF_SPONSOR_PASSPHRASE for a script.",
        "未提供申办方密钥的口令。",
        "请在提示时输入，或在脚本中设置 ECRF_SPONSOR_PASSPHRASE。"),
    "sponsor-passphrases-differ": M(
        "The two passphrases typed differ; no key was made.",
        "Run the command again and type the same passphrase twice.",
        "两次输入的口令不一致；未创建密钥。",
        "请重新运行命令，并两次输入相同的口令。"),
    "sponsor-key-missing": M(
        "There is no sponsor key in {folder}.",
        "Make one with `ecrf sponsor key --out DIR`, or point ECRF_SPONSOR_DIR at the folder that holds it.",
        "{folder} 中没有申办方密钥。",
        "请用 `ecrf sponsor key --out DIR` 创建，或将 ECRF_SPONSOR_DIR 指向存放密钥的文件夹。"),
    "sponsor-certificate-unreadable": M(
        "The sponsor certificate {path} is missing or damaged.",
        "Restore the sponsor folder from its backup.",
        "申办方证书 {path} 缺失或已损坏。",
        "请从备份恢复申办方文件夹。"),
    "sponsor-passphrase-wrong": M(
        "The passphrase does not open the sponsor key {path} (or the key file is damaged).",
        "Type the passphrase again (check Caps Lock), or restore the key file from its backup.",
        "该口令无法打开申办方密钥 {path}（或密钥文件已损坏）。",
        "请重新输入口令（注意大写锁定键），或从备份恢复密钥文件。"),
    "sponsor-key-mismatch": M(
        "The sponsor key and the certificate in {folder} do not belong together.",
        "Restore both files of the sponsor folder from the same backup.",
        "{folder} 中的申办方密钥与证书不匹配。",
        "请从同一备份恢复申办方文件夹中的两个文件。"),
    # -- raising and closing on merged data ------------------------------------------------------------------------
    "sponsor-handle-invalid": M(
        "'{handle}' cannot name a data manager: use 2 to 32 lower-case letters, digits, '.', '_' or '-', "
        "starting with a letter.",
        "Give your handle with --by (e.g. --by jsmith).",
        "“{handle}”不能作为数据管理员的名称：请使用 2 至 32 个小写字母、数字、“.”、“_”或“-”，并以字母开头。",
        "请用 --by 给出您的名称（例如 --by jsmith）。"),
    "sponsor-query-text-required": M(
        "The query has no text.",
        "Say what the site should check, with --text.",
        "质疑没有内容。",
        "请用 --text 说明中心应核查的内容。"),
    "sponsor-query-text-broken": M(
        "The query text holds bytes that are not text.",
        "Type the text again.",
        "质疑内容中含有不是文字的字节。",
        "请重新输入内容。"),
    "sponsor-site-unknown": M(
        "No bundle of site {site} has been merged into this central database.",
        "Check the site code (`ecrf query list` shows the merged sites' queries), or merge the site's bundle first.",
        "此中心数据库中尚未合并中心 {site} 的任何数据包。",
        "请检查中心代码，或先合并该中心的数据包。"),
    "sponsor-study-differs": M(
        "Site {site} was merged for study {merged}, but the study definition loaded is {loaded}.",
        "Give the study's own definition with --forms.",
        "中心 {site} 合并的是研究 {merged} 的数据，但加载的研究定义是 {loaded}。",
        "请用 --forms 给出该研究自己的定义。"),
    "sponsor-subject-unknown": M(
        "The merged data of site {site} hold no subject {subject}.",
        "Check the subject id (or screening number) in the merged data set.",
        "中心 {site} 的合并数据中没有受试者 {subject}。",
        "请在合并数据集中核对受试者编号（或筛选号）。"),
    "sponsor-subject-ambiguous": M(
        "Subject {subject} of site {site} is held by more than one installation ({installations}).",
        "Resolve the conflict in the merge report first; a query must go to one installation.",
        "中心 {site} 的受试者 {subject} 出现在多个安装中（{installations}）。",
        "请先处理合并报告中的冲突；一条质疑只能发往一个安装。"),
    "sponsor-query-place-unknown": M(
        "{place} is not a place of the study: {why}.",
        "Check --visit, --form, --timepoint, --repeat and --item against the study definition (`ecrf describe`).",
        "{place} 不是本研究中的位置：{why}。",
        "请对照研究定义（`ecrf describe`）检查 --visit、--form、--timepoint、--repeat 和 --item。"),
    "sponsor-query-not-found": M(
        "There is no sponsor query {query_id}.",
        "`ecrf query list` shows the queries and their ids.",
        "没有申办方质疑 {query_id}。",
        "`ecrf query list` 可列出质疑及其编号。"),
    "sponsor-query-closed": M(
        "Sponsor query {query_id} is closed already.",
        "Nothing to do.",
        "申办方质疑 {query_id} 已关闭。",
        "无需操作。"),
    "sponsor-query-not-answered": M(
        "Sponsor query {query_id} is {state} at site {site}: only an answered query can be closed.",
        "Wait for the site's answer to arrive in its next merged bundle (`ecrf query list` shows it).",
        "申办方质疑 {query_id} 在中心 {site} 的状态为 {state}：只有已回复的质疑才能关闭。",
        "请等待中心的回复随其下一个数据包合并后再关闭（`ecrf query list` 可查看）。"),
    # -- writing a query bundle ------------------------------------------------------------------------------------
    "query-bundle-nothing": M(
        "There are no sponsor queries for site {site}; no query bundle was written.",
        "Raise one first with `ecrf query raise`.",
        "中心 {site} 没有申办方质疑；未写出质疑包。",
        "请先用 `ecrf query raise` 发起质疑。"),
    "query-bundle-installation-ambiguous": M(
        "Site {site} has more than one merged installation ({installations}).",
        "Name the one the bundle is for with --installation.",
        "中心 {site} 有多个已合并的安装（{installations}）。",
        "请用 --installation 指定质疑包所发往的安装。"),
    "query-bundle-folder-missing": M(
        "The folder {folder} cannot be used: it is a file, or the folder above it does not exist.",
        "Choose another folder with --out, inside one that exists.",
        "无法使用文件夹 {folder}：它是一个文件，或其上级文件夹不存在。",
        "请用 --out 在已存在的文件夹中选择其他文件夹。"),
    "query-bundle-exists": M(
        "{path} already exists; nothing was written.",
        "Move it away or choose another folder.",
        "{path} 已存在；未写入任何内容。",
        "请将其移走或选择其他文件夹。"),
    # -- reading one (at the site) ----------------------------------------------------------------------------------
    "query-bundle-missing": M(
        "There is no file {path}.",
        "Check the path of the query bundle.",
        "文件 {path} 不存在。",
        "请检查质疑包的路径。"),
    "query-bundle-is-folder": M(
        "{path} is a folder, not a query bundle.",
        "Give the query bundle file the sponsor sent (a .zip, perhaps inside that folder).",
        "{path} 是文件夹，不是质疑包。",
        "请给出申办方发送的质疑包文件（.zip，可能就在该文件夹中）。"),
    "query-bundle-damaged": M(
        "{path} is not a readable query bundle: {reason}",
        "Ask the sponsor to send the query bundle again.",
        "{path} 不是可读取的质疑包：{reason}",
        "请申办方重新发送质疑包。"),
    "query-bundle-members": M(
        "{path} is not a query bundle: it holds {found} instead of manifest.json and manifest.sig only.",
        "Check that this is the sponsor's query bundle (not a site's export bundle), or ask for it again.",
        "{path} 不是质疑包：其中包含 {found}，而不是只有 manifest.json 和 manifest.sig。",
        "请确认这是申办方的质疑包（而非中心的导出数据包），或请申办方重新发送。"),
    "query-bundle-unsigned": M(
        "{path} carries no signature; nothing was imported.",
        "Only a query bundle signed by the sponsor is imported: ask the sponsor for the signed file.",
        "{path} 没有签名；未导入任何内容。",
        "只导入由申办方签名的质疑包：请向申办方索取已签名的文件。"),
    "query-bundle-tampered": M(
        "{path} was changed after the sponsor signed it ({reason}); nothing was imported.",
        "Do not use this file. Ask the sponsor for the query bundle again and tell them it arrived altered.",
        "{path} 在申办方签名后被修改（{reason}）；未导入任何内容。",
        "请勿使用此文件。请申办方重新发送质疑包，并告知其文件到达时已被修改。"),
    "query-bundle-signature-bad": M(
        "The signature of {path} does not verify ({reason}); nothing was imported.",
        "Do not use this file. Ask the sponsor for the query bundle again.",
        "{path} 的签名无法验证（{reason}）；未导入任何内容。",
        "请勿使用此文件。请申办方重新发送质疑包。"),
    "query-bundle-malformed": M(
        "The query bundle's manifest is not as ecrf writes it: {detail}.",
        "Ask the sponsor to write the query bundle again with `ecrf query bundle`.",
        "质疑包的清单不符合 ecrf 的格式：{detail}。",
        "请申办方用 `ecrf query bundle` 重新生成质疑包。"),
}
