#include "io/socket.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace keel::io {

Error io_error(const std::string& what, int error_number) {
  if (error_number == EAGAIN || error_number == EWOULDBLOCK) {
    return Error(Errc::io_error, what + ": timed out");
  }
  return Error(Errc::io_error, what + ": " + std::strerror(error_number));
}

Result<int> connect_tcp(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (status != 0) {
    return Error(Errc::io_error, "cannot resolve " + host + ": " + ::gai_strerror(status));
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  int last_error = 0;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd =
        ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0) {
      // keel sends each flight in one write; Nagle's algorithm would hold the first request
      // behind the ACK of the Finished before it, a round trip.
      const int on = 1;
      (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      return fd;
    }
    last_error = errno;
    ::close(fd);
  }
  return io_error("cannot connect to " + host + ":" + service, last_error);
}

}  // namespace keel::io
