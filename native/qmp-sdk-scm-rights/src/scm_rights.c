/*
 * sendWithFds(socketFd, data, fds): one sendmsg(2) on a connected unix socket carrying `data`
 * and, as SCM_RIGHTS ancillary data, the descriptors `fds`. Returns the bytes sent (possibly
 * fewer than `data` holds: the socket is non-blocking; the descriptors went with the first of
 * them). Throws an Error with `code` (`EAGAIN`, `EBADF`, …), `errno` (negative, as Node's) and
 * `syscall` when sendmsg fails, in which case nothing was sent.
 *
 * N-API only, so one build serves every Node release from 18 on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <node_api.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: Node ignores SIGPIPE anyway */
#endif

/* The kernel's limit per message (SCM_MAX_FD on Linux). */
#define MAX_FDS 253

static const char *errno_name(int err) {
  switch (err) {
    case EAGAIN: return "EAGAIN";
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return "EWOULDBLOCK";
#endif
    case EBADF: return "EBADF";
    case EPIPE: return "EPIPE";
    case ECONNRESET: return "ECONNRESET";
    case ENOTCONN: return "ENOTCONN";
    case ENOTSOCK: return "ENOTSOCK";
    case EINVAL: return "EINVAL";
    case EMSGSIZE: return "EMSGSIZE";
    case ENOBUFS: return "ENOBUFS";
    case ENOMEM: return "ENOMEM";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ETOOMANYREFS: return "ETOOMANYREFS";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, int err) {
  char text[256];
  snprintf(text, sizeof text, "sendmsg %s: %s", errno_name(err), strerror(err));
  napi_value code, message, error, number, syscall;
  napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_create_int32(env, -err, &number);
  napi_set_named_property(env, error, "errno", number);
  napi_create_string_utf8(env, "sendmsg", NAPI_AUTO_LENGTH, &syscall);
  napi_set_named_property(env, error, "syscall", syscall);
  napi_throw(env, error);
  return NULL;
}

static napi_value type_error(napi_env env, const char *text) {
  napi_throw_type_error(env, NULL, text);
  return NULL;
}

/* A non-negative int32, else -1. */
static int descriptor(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number) return -1;
  double number;
  napi_get_value_double(env, value, &number);
  if (number < 0 || number > 2147483647.0 || number != (double)(int)number) return -1;
  return (int)number;
}

static napi_value send_with_fds(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 3) return type_error(env, "sendWithFds(socketFd, data, fds): three arguments expected");

  int socket_fd = descriptor(env, argv[0]);
  if (socket_fd < 0) return type_error(env, "sendWithFds: socketFd must be a non-negative integer");

  void *data = NULL;
  size_t length = 0;
  bool is_buffer = false, is_typed = false;
  napi_is_buffer(env, argv[1], &is_buffer);
  if (is_buffer) {
    napi_get_buffer_info(env, argv[1], &data, &length);
  } else if (napi_is_typedarray(env, argv[1], &is_typed) == napi_ok && is_typed) {
    napi_typedarray_type kind;
    napi_value array_buffer;
    size_t offset;
    napi_get_typedarray_info(env, argv[1], &kind, &length, &data, &array_buffer, &offset);
    if (kind != napi_uint8_array) return type_error(env, "sendWithFds: data must be a Buffer or a Uint8Array");
  } else {
    return type_error(env, "sendWithFds: data must be a Buffer or a Uint8Array");
  }
  if (length == 0) return type_error(env, "sendWithFds: data must hold at least one byte (descriptors travel with bytes)");

  bool is_array = false;
  napi_is_array(env, argv[2], &is_array);
  if (!is_array) return type_error(env, "sendWithFds: fds must be an array of descriptors");
  uint32_t count = 0;
  napi_get_array_length(env, argv[2], &count);
  if (count == 0 || count > MAX_FDS) return type_error(env, "sendWithFds: fds must hold 1 to 253 descriptors");
  int fds[MAX_FDS];
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    napi_get_element(env, argv[2], i, &element);
    fds[i] = descriptor(env, element);
    if (fds[i] < 0) return type_error(env, "sendWithFds: every fd must be a non-negative integer");
  }

  size_t control_length = CMSG_SPACE(sizeof(int) * count);
  char *control = calloc(1, control_length);
  if (control == NULL) return throw_errno(env, ENOMEM);
  struct iovec iov = {.iov_base = data, .iov_len = length};
  struct msghdr message = {0};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = control_length;
  struct cmsghdr *header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int) * count);
  memcpy(CMSG_DATA(header), fds, sizeof(int) * count);

  ssize_t sent;
  do {
    sent = sendmsg(socket_fd, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  int err = errno;
  free(control);
  if (sent < 0) return throw_errno(env, err);

  napi_value result;
  napi_create_double(env, (double)sent, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "sendWithFds", NAPI_AUTO_LENGTH, send_with_fds, NULL, &fn);
  napi_set_named_property(env, exports, "sendWithFds", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
