"""lark-oapi sending COUNT text messages to the sandbox with THREADS threads (for docs/benchmarks.md).
Usage: python bench_lark_oapi_send.py URL COUNT THREADS"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import lark_oapi as lark
from lark_oapi.api.im.v1 import CreateMessageRequest, CreateMessageRequestBody

url, count, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = lark.Client.builder().app_id("cli_bench").app_secret("bench-secret").domain(url) \
    .log_level(lark.LogLevel.ERROR).build()


def send(index):
    body = CreateMessageRequestBody.builder().receive_id("ou_bench").msg_type("text") \
        .content(json.dumps({"text": f"message {index}"})).build()
    response = client.im.v1.message.create(
        CreateMessageRequest.builder().receive_id_type("open_id").request_body(body).build())
    assert response.success(), (response.code, response.msg)


send(-1)
start = time.time()
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(send, range(count)))
seconds = time.time() - start
print(f"lark-oapi: {count} messages with {threads} threads in {seconds:.2f} s = {int(count / seconds)} messages/s")
