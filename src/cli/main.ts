console.log('bpfscope');
