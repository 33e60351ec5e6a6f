"""The SmsSender port (issue 11): a local outbox folder of JSON files, or Amazon SNS (SMS_BACKEND=none
builds no sender: workflows/runtime.Deps.sms is None).

Nothing of a message (number or text) is ever logged or put in an error: errors name the kind of
failure and, where it helps, the setting to check.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from shared.ports import OutgoingSms, PermanentError, TransientError


class OutboxSms:
    """One JSON file per message ({"to", "body"}), written atomically, named by its key."""

    def __init__(self, directory: Path) -> None:
        self._dir = Path(directory)

    def send(self, sms: OutgoingSms) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        final = self._dir / f"{sms.message_key}.json"
        if final.exists():
            return  # sent before (a crash between sending and marking it sent)
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"to": sms.to, "body": sms.body}, fh, ensure_ascii=False)
        os.replace(tmp, final)


# SNS answers these when retrying cannot help: the number, the account's SMS settings or a block.
_PERMANENT = {
    "InvalidParameter": "sns refused the number or message: check the phone number",
    "InvalidParameterValue": "sns refused a parameter: check SMS_SENDER_ID",
    "OptedOut": "the number has opted out of SMS from this account",
    "AuthorizationError": "sns denied publishing: check the SMS role and AWS keys",
    "InvalidClientTokenId": "aws keys not valid: check AWS_ACCESS_KEY_ID",
    "SignatureDoesNotMatch": "aws keys not valid: check AWS_SECRET_ACCESS_KEY",
}


class SnsSms:
    """Amazon SNS direct publish to a phone number, as a transactional message (SNS retries
    delivery itself; transactional messages go first and past quiet hours)."""

    def __init__(self, region: str, sender_id: str = "", client: Any | None = None) -> None:
        if client is None:
            import boto3

            from shared.adapters.mail import aws_config

            client = boto3.client("sns", region_name=region, config=aws_config())
        self._client = client
        self._sender_id = sender_id

    def send(self, sms: OutgoingSms) -> None:
        from botocore.exceptions import ClientError, EndpointConnectionError

        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self._sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": self._sender_id,
            }
        try:
            self._client.publish(PhoneNumber=sms.to, Message=sms.body, MessageAttributes=attributes)
        except EndpointConnectionError as exc:
            raise TransientError("sns unreachable") from exc
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _PERMANENT:
                raise PermanentError(f"{code}: {_PERMANENT[code]}") from exc
            raise TransientError(f"sns answered {code or 'an error'}") from exc
