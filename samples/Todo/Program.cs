// A todo is a short text: a request body over 64 KiB is 413 before any of it is read.
return CgiRouting.CgiApp.Run(new CgiRouting.CgiOptions { MaxRequestBodySize = 64 * 1024 });
