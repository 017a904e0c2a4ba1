"""Smaller stateful resources: attachments (upload, link, download), cost centers and items,
projects."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .company import Company, Request
from .errors import VismaError, field_error, validation
from .files import file_url
from .handlers import create_record, handles, replace_record


@handles("create_attachment")
def upload_attachment(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    raw = data.pop("Data", None)
    if raw is None and not data.get("Url"):
        raise validation([field_error("Data", "Required", "Either Data or Url is required.")])
    if raw is not None:
        try:
            base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise validation(
                [field_error("Data", "InvalidBase64", "Data must be base64-encoded file content.")]
            ) from None
    record = create_record(
        c,
        "attachments",
        c.schemas.named("Attachment"),
        {
            **data,
            "UploadedBy": "test.user@example.com",
            "ImageDate": c.today(),
            "AttachmentStatus": 0,
            "Type": 0,
        },
    )
    c.blobs[record["Id"]] = raw or ""
    record["TemporaryUrl"] = file_url(c.origin, "attachments", record["Id"])
    return 201, record


@handles("create_attachment_links")
def link_attachments(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    for i, ident in enumerate(data["AttachmentIds"]):
        if str(ident) not in c.coll("attachments"):
            raise VismaError(
                400,
                5007,
                f"Attachment {ident} was not found.",
                [field_error(f"AttachmentIds[{i}]", "NotFound", "No such attachment.")],
            )
    for ident in data["AttachmentIds"]:
        c.coll("attachments")[str(ident)].update(
            DocumentId=data.get("DocumentId"), AttachedDocumentType=data["DocumentType"]
        )
    return 200, c.shape("AttachmentLinkApi", data)


@handles("delete_attachment_link")
def unlink_attachment(c: Company, r: Request) -> tuple[int, Any]:
    attachment = c.get("attachments", r.params["attachmentId"], "Attachment")
    attachment.update(DocumentId=None, AttachedDocumentType=0)
    return 200, None


@handles("delete_attachment")
def delete_attachment(c: Company, r: Request) -> tuple[int, Any]:
    c.get("attachments", r.params["attachmentId"], "Attachment")
    del c.coll("attachments")[r.params["attachmentId"]]
    c.blobs.pop(r.params["attachmentId"], None)
    return r.op.success_status, None


@handles("update_cost_center")
def update_cost_center(c: Company, r: Request) -> tuple[int, Any]:
    current = c.get("costcenters", r.params["id"], "Cost center")
    return 200, replace_record(
        c, "costcenters", c.schemas.named("CostCenterApi"), current, c.validate(r)
    )


@handles("create_cost_center_item", "update_cost_center_item")
def save_cost_center_item(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("CostCenterItemApi")
    data = c.validate(r)
    center = c.coll("costcenters").get(str(data.get("CostCenterId")))
    if center is None:
        raise validation(
            [
                field_error(
                    "CostCenterId",
                    "NotFound",
                    f"Cost center '{data.get('CostCenterId')}' does not exist.",
                )
            ]
        )
    if "costCenterItemId" in r.params:
        current = c.get("costcenteritems", r.params["costCenterItemId"], "Cost center item")
        item = replace_record(c, "costcenteritems", schema, current, data)
        status = 200
    else:
        item = create_record(c, "costcenteritems", schema, data)
        status = 201
    center["Items"] = [
        i for i in c.coll("costcenteritems").values() if i["CostCenterId"] == center["Id"]
    ]
    return status, item


@handles("create_project", "update_project")
def save_project(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("ProjectApi")
    data = c.validate(r)
    current = c.get("projects", r.params["id"], "Project") if "id" in r.params else None
    for p in c.coll("projects").values():
        if p is not current and p["Number"] == data["Number"]:
            raise VismaError(
                400,
                4000,
                f"Number '{data['Number']}' is already in use.",
                [field_error("Number", "Duplicate", "Number must be unique.")],
            )
    if data.get("CustomerId"):
        customer = c.coll("customers").get(str(data["CustomerId"]))
        data["CustomerName"] = customer["Name"] if customer else None
    data.setdefault("StartDate", c.today())
    if current is None:
        return 201, create_record(c, "projects", schema, data)
    # The spec declares 201 (not 200) for PUT /projects/{id}; answer what it documents.
    return r.op.success_status, replace_record(c, "projects", schema, current, data)
