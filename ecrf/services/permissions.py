"""Who may do what (DESIGN.md, Workflow and roles). One table, checked by every service call."""
from __future__ import annotations

from enum import StrEnum

from ecrf.errors import Localized
from ecrf.services.errors import PermissionDenied


class Do(StrEnum):
    MANAGE_USERS = "manage users"
    MANAGE_SITE = "change site settings"
    BACKUP = "make a backup"
    REKEY = "rotate the database key"
    IMPORT_ALLOCATION = "import the allocation list"
    READ_DATA = "read trial data"
    READ_AUDIT = "read the audit trail"
    VERIFY_AUDIT = "verify the audit trail"
    SCREEN = "screen a subject"
    ENTER_DATA = "enter or change data"
    ALLOCATE = "allocate a subject to an arm"
    ALLOCATE_MANUALLY = "allocate a subject manually"
    END_PARTICIPATION = "record withdrawal, death or completion"
    CHANGE_OWN_PASSWORD = "change own password"
    EXPORT = "export a signed data bundle"
    VERIFY_SOURCE = "verify data against the source documents"
    RAISE_QUERY = "raise a query"
    ANSWER_QUERY = "answer a query"
    CLOSE_QUERY = "close, cancel or re-open a query"
    SIGN = "sign data electronically"
    LOCK = "lock or unlock data"
    FREEZE_SITE = "freeze or lock the whole site"


_ENTRY = {Do.READ_DATA, Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.SCREEN, Do.ENTER_DATA, Do.ALLOCATE,
          Do.END_PARTICIPATION, Do.CHANGE_OWN_PASSWORD, Do.ANSWER_QUERY}

ALLOWED: dict[str, frozenset[Do]] = {
    "site_admin": frozenset({Do.MANAGE_USERS, Do.MANAGE_SITE, Do.BACKUP, Do.REKEY, Do.IMPORT_ALLOCATION,
                             Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD, Do.LOCK, Do.FREEZE_SITE}),
    # Exporting is the site staff's job (the bundle is the site's copy of record); the site admin sees no
    # clinical data and the monitor takes bundles from the site, not makes them.
    "investigator": frozenset(_ENTRY | {Do.ALLOCATE_MANUALLY, Do.EXPORT, Do.SIGN, Do.LOCK}),
    "nurse": frozenset(_ENTRY | {Do.EXPORT}),
    # The monitor reads, verifies and queries; closing is further limited to the role that raised a query.
    "monitor": frozenset({Do.READ_DATA, Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD, Do.VERIFY_SOURCE,
                          Do.RAISE_QUERY, Do.CLOSE_QUERY}),
    "read_only": frozenset({Do.READ_DATA, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD}),
}

ROLE_NAMES = {"site_admin": "a site administrator", "investigator": "an investigator", "nurse": "a study nurse",
              "monitor": "a monitor", "read_only": "a read-only user"}


ROLE_NAMES_ZH = {"site_admin": "中心管理员", "investigator": "研究者", "nurse": "研究护士", "monitor": "监查员",
                 "read_only": "只读用户"}
ACTIONS_ZH = {
    Do.MANAGE_USERS: "管理用户", Do.MANAGE_SITE: "修改中心设置", Do.BACKUP: "备份", Do.REKEY: "更换数据库密钥",
    Do.IMPORT_ALLOCATION: "导入随机分配表", Do.READ_DATA: "查看试验数据", Do.READ_AUDIT: "查看稽查轨迹",
    Do.VERIFY_AUDIT: "验证稽查轨迹", Do.SCREEN: "筛选受试者", Do.ENTER_DATA: "录入或修改数据",
    Do.ALLOCATE: "为受试者分配组别", Do.ALLOCATE_MANUALLY: "手工分配受试者",
    Do.END_PARTICIPATION: "记录退出、死亡或完成",
    Do.CHANGE_OWN_PASSWORD: "修改自己的密码", Do.EXPORT: "导出签名数据包",
    Do.VERIFY_SOURCE: "对照原始资料核查数据", Do.RAISE_QUERY: "发起质疑", Do.ANSWER_QUERY: "回复质疑",
    Do.CLOSE_QUERY: "关闭、取消或重新打开质疑", Do.SIGN: "电子签名", Do.LOCK: "锁定或解锁数据",
    Do.FREEZE_SITE: "冻结或锁定整个中心",
}


def may(role: str, action: Do) -> bool:
    return action in ALLOWED.get(role, frozenset())


def require(role: str, action: Do) -> None:
    if not may(role, action):
        allowed = sorted(r for r in ALLOWED if action in ALLOWED[r])
        raise PermissionDenied(
            "permission-denied",
            role=Localized(ROLE_NAMES.get(role, role), ROLE_NAMES_ZH.get(role, role)),
            action=Localized(action.value, ACTIONS_ZH[action]),
            roles=Localized(" or ".join(sorted(ROLE_NAMES[r].split(" ", 1)[1] for r in allowed)),
                            "或".join(ROLE_NAMES_ZH[r] for r in allowed)))
