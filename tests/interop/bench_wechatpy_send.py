"""wechatpy sending COUNT text messages to the sandbox with THREADS threads (for docs/benchmarks.md).
Usage: python bench_wechatpy_send.py URL COUNT THREADS"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from wechatpy.enterprise import WeChatClient

url, count, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


class SandboxWeChatClient(WeChatClient):
    API_BASE_URL = url + "/cgi-bin/"

    def fetch_access_token(self):
        return self._fetch_access_token(url=url + "/cgi-bin/gettoken",
                                        params={"corpid": self.corp_id, "corpsecret": self.secret})


client = SandboxWeChatClient("wwbench", "bench-secret")


def send(index):
    assert client.message.send_text(1000002, ["bench"], f"message {index}")["errcode"] == 0


send(-1)
start = time.time()
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(send, range(count)))
seconds = time.time() - start
print(f"wechatpy: {count} messages with {threads} threads in {seconds:.2f} s = {int(count / seconds)} messages/s")
