"""Error messages of the sponsor side: the trust registry (registered by ecrf.merge.errors).

A refused registry file is never overwritten, so each message about one says it was left as it is."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
_CHECK_WITH_SITE = ("Check the fingerprint with the site (`ecrf site certificate` prints it) before you change the "
                    "registry.")
_CHECK_WITH_SITE_ZH = "修改登记表之前，请与中心核对指纹（`ecrf site certificate` 会打印）。"
TRUST_MESSAGES: dict[str, Message] = {
    # -- the registry file (ecrf/merge/trust_file.py) ------------------------------------------------------
    "trust-registry-missing": M(
        "There is no trust registry at {path}.",
        "Register each site's certificate with `ecrf trust add --site CODE CERT` (it makes the registry), or give "
        "the registry's place with --registry PATH or $ECRF_TRUST_REGISTRY.",
        "{path} 处没有信任登记表。",
        "请用 `ecrf trust add --site CODE CERT` 登记各中心的证书（会创建登记表），"
        "或用 --registry PATH 或 $ECRF_TRUST_REGISTRY 指定登记表的位置。"),
    "trust-registry-unreadable": M(
        "The trust registry {path} cannot be read ({reason}); it was left as it is.",
        "Check the path and its permissions, then run the command again.",
        "无法读取信任登记表 {path}（{reason}）；文件保持原样。",
        "请检查路径及其权限，然后重新运行命令。"),
    "trust-registry-too-large": M(
        "{path} is {size} bytes: too large to be a trust registry; it was left as it is.",
        "Check that --registry names the registry file, not another file.",
        "{path} 有 {size} 字节：作为信任登记表过大；文件保持原样。",
        "请检查 --registry 指向的是登记表文件，而不是其他文件。"),
    "trust-registry-damaged": M(
        "The trust registry {path} is damaged: {detail}. Nothing trusts it and nothing overwrites it; it was left "
        "as it is.",
        "Restore it from your backup (or undo the hand edit), then run the command again.",
        "信任登记表 {path} 已损坏：{detail}。不会信任也不会覆盖它；文件保持原样。",
        "请从备份恢复（或撤销手工修改），然后重新运行命令。"),
    "trust-registry-unknown-format": M(
        "{path} is not an ecrf trust registry (its 'format' is not 'ecrf-trust-registry'); it was left as it is.",
        "Check that --registry or $ECRF_TRUST_REGISTRY names the registry file; to start a new registry, name a "
        "path where no file exists yet.",
        "{path} 不是 ecrf 信任登记表（其“format”不是“ecrf-trust-registry”）；文件保持原样。",
        "请检查 --registry 或 $ECRF_TRUST_REGISTRY 指向的是登记表文件；如要新建登记表，请指定一个尚无文件的路径。"),
    "trust-registry-version": M(
        "The trust registry {path} has format version {version}; this ecrf reads version {supported}. It was left "
        "as it is.",
        "Use the ecrf version that wrote it, or a newer one.",
        "信任登记表 {path} 的格式版本为 {version}；此版本 ecrf 读取版本 {supported}。文件保持原样。",
        "请使用写入它的 ecrf 版本或更新版本。"),
    "trust-registry-changed": M(
        "The trust registry {path} was changed by someone else while this command ran; your change was not "
        "written.",
        "Run the command again (`ecrf trust list` shows what the registry holds now).",
        "本命令运行期间，信任登记表 {path} 被他人修改；您的修改未写入。",
        "请重新运行命令（`ecrf trust list` 显示登记表现在的内容）。"),
    "trust-registry-write-failed": M(
        "The trust registry {path} could not be written ({reason}); it is as it was before.",
        "Check that the folder exists, is writable and has space, then run the command again.",
        "无法写入信任登记表 {path}（{reason}）；它保持修改前的状态。",
        "请检查文件夹是否存在、可写且有空间，然后重新运行命令。"),
    # -- what `ecrf trust add` is given (ecrf/merge/trust_source.py) -----------------------------------------
    "trust-add-not-recognised": M(
        "{spec} is neither a certificate file (PEM or DER) nor a SHA-256 fingerprint (64 hex digits, colons "
        "allowed).",
        "Give the site's certificate file, or the fingerprint `ecrf site certificate` printed at the site.",
        "{spec} 既不是证书文件（PEM 或 DER），也不是 SHA-256 指纹（64 位十六进制，可含冒号）。",
        "请给出中心的证书文件，或中心 `ecrf site certificate` 打印的指纹。"),
    "trust-certificate-missing": M(
        "There is no certificate file {spec}.",
        "Check the path.",
        "没有证书文件 {spec}。",
        "请检查路径。"),
    "trust-certificate-unreadable": M(
        "The certificate file {spec} cannot be read ({reason}).",
        "Check the file and its permissions.",
        "无法读取证书文件 {spec}（{reason}）。",
        "请检查文件及其权限。"),
    "trust-certificate-too-large": M(
        "{spec} is too large to be a certificate file.",
        "Give the site's certificate file (PEM or DER).",
        "{spec} 过大，不是证书文件。",
        "请给出中心的证书文件（PEM 或 DER）。"),
    "trust-certificate-invalid": M(
        "{spec} is not a certificate (PEM or DER).",
        "Give the site's certificate file as `ecrf site certificate` printed it, or its SHA-256 fingerprint.",
        "{spec} 不是证书（PEM 或 DER）。",
        "请给出中心 `ecrf site certificate` 打印的证书文件，或其 SHA-256 指纹。"),
    "trust-certificate-several": M(
        "{spec} holds {count} certificates; an entry registers exactly one.",
        "Register each site's certificate on its own, from a file holding only that one.",
        "{spec} 含有 {count} 个证书；每个条目只登记一个。",
        "请逐个登记各中心的证书，每个文件只含该证书。"),
    "trust-certificate-unnamed": M(
        "{spec} does not name its whole binding (it names {named}): an older certificate names no installation "
        "(and perhaps no study).",
        "Give what it lacks: --installation ID (the site's installation_id, in its bundles' manifest.json) and, "
        "when it names no study, --study OID.",
        "{spec} 未指明完整的绑定（它指明的是{named}）：较早的证书不含安装（可能也不含研究）。",
        "请补充缺少的部分：--installation ID（中心的 installation_id，见其数据包的 manifest.json），"
        "证书未指明研究时再加 --study OID。"),
    "trust-certificate-other-site": M(
        "{spec} names {named}, not {wanted}.",
        "Check which site sent this certificate and give its own site code and study.",
        "{spec} 指明的是{named}，而不是{wanted}。",
        "请核对此证书来自哪个中心，并给出该中心自己的中心代码和研究。"),
    "trust-certificate-bad-name": M(
        "{spec} names a value for {option} that cannot be registered (empty, too long or with control "
        "characters).",
        "Ask the site for its ecrf certificate (`ecrf site certificate`).",
        "{spec} 中 {option} 的值无法登记（为空、过长或含控制字符）。",
        "请向中心索取其 ecrf 证书（`ecrf site certificate`）。"),
    "trust-option-mismatch": M(
        "{option} {given} does not match the certificate {spec}, which names {named} ({option} {own}).",
        "Check that this is the right site's certificate. The entry takes its study, site and installation from "
        "the certificate: --study and --installation may be left out.",
        "{option} {given} 与证书 {spec} 不符，该证书指明的是{named}（{option} {own}）。",
        "请核对这是否为正确中心的证书。条目的研究、中心和安装取自证书：可以省略 --study 和 --installation。"),
    "trust-option-invalid": M(
        "{option} is {problem}.",
        "Give it as the site's certificate or manifest.json states it.",
        "{option} 无效（{problem}）。",
        "请按中心证书或 manifest.json 中的写法给出。"),
    "trust-fingerprint-unbound": M(
        "A fingerprint alone binds nothing: {fingerprint} needs {missing} too.",
        "Give --study OID and --installation ID as the site's bundles state them (manifest.json: study.oid, "
        "site.installation_id), or register the certificate file instead.",
        "仅有指纹不构成任何绑定：{fingerprint} 还需要 {missing}。",
        "请按中心数据包中的写法给出 --study OID 和 --installation ID（manifest.json：study.oid、"
        "site.installation_id），或改为登记证书文件。"),
    # -- the registry's rules (ecrf/merge/trust_registry.py) ---------------------------------------------------
    "trust-already-registered": M(
        "Certificate {fingerprint} is already registered for {naming} in {path}; nothing was changed.",
        "Nothing to do. (To store the certificate file over a fingerprint-only entry, or change its note, add it "
        "again with --replace.)",
        "证书 {fingerprint} 已在 {path} 中登记于{naming}；未作任何修改。",
        "无需操作。（如要用证书文件替换仅有指纹的条目，或修改备注，请加 --replace 重新添加。）"),
    "trust-certificate-registered-elsewhere": M(
        "Certificate {fingerprint} is registered in {path} for {registered}; it cannot also stand for {wanted}. "
        "Nothing was changed.",
        "One certificate speaks for one installation. If the earlier entry is wrong, remove it with `ecrf trust "
        "remove` first. " + _CHECK_WITH_SITE,
        "证书 {fingerprint} 已在 {path} 中登记于{registered}；不能再代表{wanted}。未作任何修改。",
        "一个证书只代表一个安装。如之前的条目有误，请先用 `ecrf trust remove` 删除。" + _CHECK_WITH_SITE_ZH),
    "trust-installation-has-certificate": M(
        "{naming} already has certificate {fingerprint} registered in {path}; nothing was changed.",
        "If the site made a new certificate (a new key), run the command again with --replace. "
        + _CHECK_WITH_SITE,
        "{naming}已在 {path} 中登记了证书 {fingerprint}；未作任何修改。",
        "如中心生成了新证书（新密钥），请加 --replace 重新运行命令。" + _CHECK_WITH_SITE_ZH),
    "trust-remove-none": M(
        "No entry of {path} matches {selection}; nothing was removed.",
        "`ecrf trust list` shows the entries; give the site code (and installation or fingerprint) of one.",
        "{path} 中没有与{selection}匹配的条目；未删除任何内容。",
        "`ecrf trust list` 会列出各条目；请给出其中一个的中心代码（以及安装或指纹）。"),
    "trust-remove-ambiguous": M(
        "{count} entries of {path} match {selection}; nothing was removed.",
        "Say which one: add --installation ID or the certificate's fingerprint (`ecrf trust list` shows both).",
        "{path} 中有 {count} 个条目与{selection}匹配；未删除任何内容。",
        "请指明是哪一个：加上 --installation ID 或证书指纹（`ecrf trust list` 会显示两者）。"),
    "trust-remove-fingerprint-invalid": M(
        "{spec} is not a SHA-256 fingerprint (64 hex digits, colons allowed).",
        "Copy the fingerprint from `ecrf trust list`, or leave it out and give --installation ID.",
        "{spec} 不是 SHA-256 指纹（64 位十六进制，可含冒号）。",
        "请从 `ecrf trust list` 复制指纹，或省略它并给出 --installation ID。"),
}
